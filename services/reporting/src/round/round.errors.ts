import { ForbiddenError, InvalidInputError, NotFoundError, RuleViolationError } from '@thihanh/domain';

export const roundNotFound = (roundId: string) => new NotFoundError('ROUND.NOT_FOUND', `Reporting round ${roundId} does not exist`, { roundId });

export const alreadyOpened = (roundId: string) => new RuleViolationError('ROUND.ALREADY_OPENED', `Reporting round ${roundId} is already open`, { roundId });

export const invalidRound = (problem: string, details: Record<string, unknown> = {}) =>
  new InvalidInputError('ROUND.INVALID', `Reporting round: ${problem}`, details);

export const roundNotOpen = (roundId: string, status: string) =>
  new RuleViolationError('ROUND.NOT_OPEN', `Reporting round ${roundId} is ${status}: reports are no longer taken`, { roundId, status });

export const forbidden = (action: string, agencyId: string) =>
  new ForbiddenError('ROUND.FORBIDDEN', `Agency ${agencyId} may not ${action} in this reporting round`, { action, agencyId });

export const notAsked = (agencyId: string, roundId: string) =>
  new ForbiddenError('ROUND.NOT_ASKED', `Agency ${agencyId} is not asked to report in round ${roundId}`, { agencyId, roundId });

export const alreadyIssued = (roundId: string) =>
  new RuleViolationError('ROUND.ALREADY_ISSUED', `The provincial report of round ${roundId} was already issued`, { roundId });

export const nothingAccepted = (roundId: string) =>
  new RuleViolationError('ROUND.NOTHING_ACCEPTED', `No agency report of round ${roundId} is accepted yet: there is nothing to compile`, { roundId });
