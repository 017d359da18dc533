import { InvalidInputError, NotFoundError, RuleViolationError } from '@thihanh/domain';

export const planNotFound = (planId: string) => new NotFoundError('PLAN.NOT_FOUND', `Plan ${planId} does not exist`, { planId });

export const invalidDate = (where: string, value: string) =>
  new InvalidInputError('PLAN.INVALID_DATE', `${where}: "${value}" is not a real date (YYYY-MM-DD)`, { where, value });

export const duplicateTaskNumber = (number: string) =>
  new InvalidInputError('PLAN.DUPLICATE_TASK_NUMBER', `Task number ${number} appears more than once`, { number });

export const unknownParentTask = (number: string, parent: string) =>
  new InvalidInputError('PLAN.UNKNOWN_PARENT_TASK', `Task ${number} names parent ${parent}, which is not in the plan`, { number, parent });

export const emptyTitle = () => new InvalidInputError('PLAN.TITLE_REQUIRED', 'A plan needs a title');

export const noTasks = () => new RuleViolationError('PLAN.NO_TASKS', 'A plan with no task cannot be issued');

export const taskWithoutResponsible = (numbers: string[]) =>
  new RuleViolationError('PLAN.TASK_WITHOUT_RESPONSIBLE', `Tasks without a lead or implementing agency: ${numbers.join(', ')}`, {
    tasks: numbers,
  });

export const unresolvedParties = (parties: { task: string; name: string }[]) =>
  new RuleViolationError(
    'PLAN.UNRESOLVED_AGENCIES',
    `Agencies not in the directory: ${parties.map((p) => `${p.name} (task ${p.task})`).join('; ')}`,
    { parties },
  );

export const notADraft = (status: string) =>
  new RuleViolationError('PLAN.NOT_A_DRAFT', `The plan is ${status}: an issued plan changes only by amendment`, {
    status,
    allowed: status === 'closed' ? [] : ['amend', 'close'],
  });

export const notIssued = (status: string) =>
  new RuleViolationError('PLAN.NOT_ISSUED', `The plan is ${status}: only an issued plan can be amended or closed`, {
    status,
    allowed: status === 'draft' ? ['revise', 'issue'] : [],
  });

export const amendmentChangesNothing = () =>
  new RuleViolationError('PLAN.AMENDMENT_CHANGES_NOTHING', 'The amendment is identical to the current version');
