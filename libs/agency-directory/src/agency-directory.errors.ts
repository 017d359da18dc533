import { InvalidInputError, NotFoundError, RuleViolationError } from '@thihanh/domain';

export interface ImportProblem {
  /** 1-based line of the CSV record (its first line when a quoted field spans lines); absent for JSON. */
  readonly line?: number;
  /** Where in a JSON document: `agencies[3]`, `groups[0]`. */
  readonly path?: string;
  readonly reason: string;
}

export class UnknownAgencyError extends NotFoundError {
  constructor(readonly agencyId: string) {
    super('AGENCY.UNKNOWN', `No agency ${agencyId} in the directory`, { agencyId });
  }
}

export class UnknownAgencyGroupError extends NotFoundError {
  constructor(readonly groupId: string) {
    super('AGENCY.UNKNOWN_GROUP', `No agency group ${groupId} in the directory`, { groupId });
  }
}

export class DuplicateAgencyIdError extends RuleViolationError {
  constructor(readonly agencyId: string) {
    super('AGENCY.DUPLICATE_ID', `The id ${agencyId} is already used in the directory`, { agencyId });
  }
}

export class AgencyAlreadyRetiredError extends RuleViolationError {
  constructor(readonly agencyId: string, on: string) {
    super('AGENCY.ALREADY_RETIRED', `Agency ${agencyId} was retired on ${on}`, { agencyId, on });
  }
}

/** Two current agencies of one province answering to one name would make resolving it a guess. */
export class AgencyNameTakenError extends RuleViolationError {
  constructor(readonly agencyId: string, reasons: readonly string[]) {
    super('AGENCY.NAME_TAKEN', `Agency ${agencyId}: ${reasons.join('; ')}`, { agencyId, reasons });
  }
}

export class AgencyHasCurrentChildrenError extends RuleViolationError {
  constructor(readonly agencyId: string, childIds: readonly string[]) {
    super('AGENCY.HAS_CURRENT_CHILDREN', `Agency ${agencyId} still has current units: ${childIds.join(', ')}`, { agencyId, childIds });
  }
}

export class InvalidAgencyError extends InvalidInputError {
  constructor(readonly agencyId: string, readonly reasons: readonly string[]) {
    super('AGENCY.INVALID', `Agency ${agencyId || '(no id)'}: ${reasons.join('; ')}`, { agencyId, reasons });
  }
}

export class InvalidMergeError extends InvalidInputError {
  constructor(reason: string, details: Record<string, unknown> = {}) {
    super('AGENCY.INVALID_MERGE', reason, details);
  }
}

/** Directory data that breaks the invariants (seed files, a stored snapshot). */
export class InvalidDirectoryDataError extends InvalidInputError {
  constructor(readonly problems: readonly { id?: string; reason: string }[]) {
    super('AGENCY.INVALID_DIRECTORY', `The directory data has ${problems.length} problem(s): ${problems.slice(0, 5).map((p) => `${p.id ?? '?'}: ${p.reason}`).join('; ')}`, { problems });
  }
}

/** For callers that turn a rejected import into an error response: carries every bad row. */
export class DirectoryImportRejectedError extends InvalidInputError {
  constructor(readonly problems: readonly ImportProblem[]) {
    super('AGENCY.IMPORT_REJECTED', `Import rejected: ${problems.length} problem(s); nothing was imported`, { problems });
  }
}
