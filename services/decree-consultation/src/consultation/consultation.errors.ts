import { ForbiddenError, InvalidInputError, NotFoundError, RuleViolationError } from '@thihanh/domain';

export const consultationNotFound = (consultationId: string) =>
  new NotFoundError('CONSULTATION.NOT_FOUND', `Consultation ${consultationId} does not exist`, { consultationId });

export const alreadyOpened = (consultationId: string) =>
  new RuleViolationError('CONSULTATION.ALREADY_OPENED', `Consultation ${consultationId} is already open`, { consultationId });

/** `allowed` lets a client show what can be done instead. */
export const notAllowedNow = (action: string, status: string, allowed: readonly string[]) =>
  new RuleViolationError(
    'CONSULTATION.TRANSITION_NOT_ALLOWED',
    `Cannot ${action} a consultation that is ${status}; ` + (allowed.length ? `allowed now: ${allowed.join(', ')}` : `${status} is final`),
    { action, status, allowed: [...allowed] },
  );

export const forbidden = (action: string, agencyId: string, consultationId: string) =>
  new ForbiddenError('CONSULTATION.FORBIDDEN', `Agency ${agencyId} may not ${action} on consultation ${consultationId}`, { action, agencyId, consultationId });

export const notACoordinator = (agencyId: string, consultationId: string) =>
  new ForbiddenError(
    'CONSULTATION.NOT_A_COORDINATOR',
    `Agency ${agencyId} is not asked to comment on consultation ${consultationId}; only its coordinating agencies comment`,
    { agencyId, consultationId },
  );

export const deadlinePassed = (deadline: string, today: string) =>
  new RuleViolationError(
    'CONSULTATION.DEADLINE_PASSED',
    `Comments were due before ${deadline} (today is ${today}): they can no longer be given, changed or withdrawn`,
    { deadline, today },
  );

export const invalidDate = (where: string, value: string) =>
  new InvalidInputError('CONSULTATION.INVALID_DATE', `${where}: "${value}" is not a real date (YYYY-MM-DD)`, { where, value });

export const deadlineInPast = (deadline: string, today: string) =>
  new InvalidInputError('CONSULTATION.DEADLINE_IN_PAST', `A deadline of ${deadline} leaves no time to comment (today is ${today})`, { deadline, today });

export const required = (what: string) => new InvalidInputError('CONSULTATION.REQUIRED', `${what} is required`, { what });

export const invalidAnchor = (anchor: string) =>
  new InvalidInputError('CONSULTATION.INVALID_ANCHOR', `"${anchor}" is not a place in a draft (e.g. "dieu-5", "dieu-5.khoan-1", "dieu-5.khoan-1.diem-a")`, { anchor });

export const noSuchPlace = (anchor: string, draftVersion: number | null) =>
  new InvalidInputError(
    'CONSULTATION.NO_SUCH_PLACE',
    draftVersion === null ? `No draft is uploaded yet: comment in general, or wait for the draft to comment on ${anchor}` : `Draft version ${draftVersion} has no ${anchor}`,
    { anchor, draftVersion },
  );

export const noArticles = (fileName: string) =>
  new InvalidInputError('CONSULTATION.DRAFT_WITHOUT_ARTICLES', `${fileName}: no article (Điều 1. …) was found; is it the draft?`, { fileName });

export const sameDraft = (draftVersion: number) =>
  new RuleViolationError('CONSULTATION.SAME_DRAFT', `This file is draft version ${draftVersion} already`, { draftVersion });

export const noCommentGiven = (agencyId: string) =>
  new RuleViolationError('CONSULTATION.NO_COMMENT_GIVEN', `${agencyId} answered "không có ý kiến": withdraw that answer before commenting`, { agencyId });

export const hasComments = (agencyId: string, count: number) =>
  new RuleViolationError('CONSULTATION.HAS_COMMENTS', `${agencyId} has ${count} comments: withdraw them before answering "không có ý kiến"`, { agencyId, count });

export const commentNotFound = (commentId: string) =>
  new NotFoundError('CONSULTATION.COMMENT_NOT_FOUND', `No comment ${commentId} in this consultation`, { commentId });

export const notYourComment = (commentId: string, agencyId: string) =>
  new ForbiddenError('CONSULTATION.NOT_YOUR_COMMENT', `Comment ${commentId} is not ${agencyId}'s to change`, { commentId, agencyId });

export const commentWithdrawn = (commentId: string) =>
  new RuleViolationError('CONSULTATION.COMMENT_WITHDRAWN', `Comment ${commentId} was withdrawn`, { commentId });

export const nothingToDecide = (commentId: string) =>
  new RuleViolationError('CONSULTATION.NOTHING_TO_DECIDE', `Comment ${commentId} is a "không có ý kiến" answer: there is nothing to accept or refuse`, { commentId });

export const reasonRequired = (decision: string) =>
  new InvalidInputError('CONSULTATION.REASON_REQUIRED', `A ${decision} decision needs its reason (giải trình)`, { decision });

export const noResponse = () =>
  new RuleViolationError('CONSULTATION.NO_RESPONSE', 'Write the consolidated response (PUT …/response) before submitting it');

export const undecidedComments = (commentIds: string[]) =>
  new RuleViolationError(
    'CONSULTATION.UNDECIDED_COMMENTS',
    `${commentIds.length} comments have no decision yet (accepted, partly accepted or not accepted)`,
    { commentIds },
  );
