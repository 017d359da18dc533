import { ForbiddenError, InvalidInputError, NotFoundError, RuleViolationError } from '@thihanh/domain';

export const assignmentNotFound = (assignmentId: string) =>
  new NotFoundError('ASSIGNMENT.NOT_FOUND', `Case ${assignmentId} does not exist`, { assignmentId });

export const alreadyOpened = (assignmentId: string, status: string) =>
  new RuleViolationError('ASSIGNMENT.ALREADY_OPENED', `Case ${assignmentId} is already open (${status})`, { assignmentId, status });

/** `allowed` lets a client show what can be done instead. */
export const transitionNotAllowed = (action: string, status: string, allowed: readonly string[], waitingFor?: string) =>
  new RuleViolationError(
    'ASSIGNMENT.TRANSITION_NOT_ALLOWED',
    `Cannot ${action} a case that is ${status}${waitingFor ? ` (waiting for its ${waitingFor})` : ''}; ` +
      (allowed.length ? `allowed from ${status}: ${allowed.join(', ')}` : `${status} is final`),
    { action, status, allowed: [...allowed], ...(waitingFor ? { waitingFor } : {}) },
  );

export const forbidden = (action: string, agencyId: string, assignmentId: string) =>
  new ForbiddenError('ASSIGNMENT.FORBIDDEN', `Agency ${agencyId} may not ${action} case ${assignmentId}`, { action, agencyId, assignmentId });

export const invalidDate = (where: string, value: string) =>
  new InvalidInputError('ASSIGNMENT.INVALID_DATE', `${where}: "${value}" is not a real date (YYYY-MM-DD)`, { where, value });

export const invalidInstant = (where: string, value: string) =>
  new InvalidInputError('ASSIGNMENT.INVALID_TIME', `${where}: "${value}" is not an ISO 8601 instant`, { where, value });

export const invalidCycle = (cycle: string) =>
  new InvalidInputError('ASSIGNMENT.INVALID_CYCLE', `Cycle "${cycle}" is neither "once" nor a year`, { cycle });

export const reasonRequired = (action: string) =>
  new InvalidInputError('ASSIGNMENT.REASON_REQUIRED', `To ${action} a case, give a reason`, { action });

export const invalidFocalPoint = (problem: string) =>
  new InvalidInputError('ASSIGNMENT.INVALID_FOCAL_POINT', `Focal point: ${problem}`, { problem });

export const invalidPercent = (percent: number) =>
  new InvalidInputError('ASSIGNMENT.INVALID_PERCENT', `Progress must be a number from 0 to 100, not ${percent}`, { percent });

export const invalidDeliverable = (problem: string) =>
  new InvalidInputError('ASSIGNMENT.INVALID_DELIVERABLE', `Deliverable: ${problem}`, { problem });

export const duplicateDeliverable = (deliverableId: string) =>
  new RuleViolationError('ASSIGNMENT.DUPLICATE_DELIVERABLE', `Deliverable ${deliverableId} was already submitted`, { deliverableId });

export const nothingSubmitted = () =>
  new RuleViolationError('ASSIGNMENT.NOTHING_SUBMITTED', 'A case is accepted on a submitted deliverable, and none is on file');

export const invalidExtension = (problem: string, newDueBefore: string, dueBefore: string | null) =>
  new InvalidInputError('ASSIGNMENT.INVALID_EXTENSION', `Extension to ${newDueBefore}: ${problem}`, { newDueBefore, dueBefore });

export const extensionPending = (requestId: string) =>
  new RuleViolationError('ASSIGNMENT.EXTENSION_PENDING', `Extension request ${requestId} is still waiting for an answer`, { requestId });

export const noSuchRequest = (requestId: string, pendingRequestId: string | null) =>
  new RuleViolationError(
    'ASSIGNMENT.NO_SUCH_REQUEST',
    pendingRequestId ? `No pending extension request ${requestId}; the pending one is ${pendingRequestId}` : `No extension request is pending (asked for ${requestId})`,
    { requestId, pendingRequestId },
  );

export const sameAgency = (agencyId: string) =>
  new RuleViolationError('ASSIGNMENT.SAME_AGENCY', `The case is already with ${agencyId}`, { agencyId });

export const noGate = () => new InvalidInputError('ASSIGNMENT.GATE_REQUIRED', 'Say what happened that opens the case');
