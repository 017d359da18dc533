import { InvalidInputError, NotFoundError, RuleViolationError } from '@thihanh/domain';

export const reportNotFound = (reportId: string) => new NotFoundError('REPORT.NOT_FOUND', `Report ${reportId} does not exist`, { reportId });

export const transitionNotAllowed = (action: string, status: string, allowed: readonly string[]) =>
  new RuleViolationError(
    'REPORT.TRANSITION_NOT_ALLOWED',
    `Cannot ${action} a report that is ${status}; ` + (allowed.length ? `allowed: ${allowed.join(', ')}` : `${status} is final`),
    { action, status, allowed: [...allowed] },
  );

export const resultsRequired = () => new InvalidInputError('REPORT.RESULTS_REQUIRED', 'A report states its results (kết quả thực hiện)');

export const reasonRequired = () => new InvalidInputError('REPORT.REASON_REQUIRED', 'Say why the report is returned');
