/**
 * The few bases every domain error derives from. Each concrete error has a stable `code`
 * (e.g. `ASSIGNMENT.ALREADY_ACCEPTED`) that clients can rely on; the HTTP layer maps the
 * kind to a status (invalid 400, forbidden 403, not found 404, rule violated 409,
 * concurrency 409, precondition 412, unavailable 503). Aggregates never throw HTTP exceptions.
 */
export type DomainErrorKind =
  | 'invalid'
  | 'forbidden'
  | 'not_found'
  | 'rule'
  | 'concurrency'
  | 'precondition'
  | 'unavailable';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;

  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidInputError extends DomainError {
  readonly kind = 'invalid' as const;
}

export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden' as const;
}

export class NotFoundError extends DomainError {
  readonly kind = 'not_found' as const;
}

/** A business rule forbids this now (e.g. a transition that is not allowed from the current state). */
export class RuleViolationError extends DomainError {
  readonly kind = 'rule' as const;
}

/** Someone else changed the stream first: reload and decide again. */
export class ConcurrencyError extends DomainError {
  readonly kind = 'concurrency' as const;

  constructor(
    readonly streamId: string,
    readonly expectedVersion: number | string,
    readonly actualVersion: number,
  ) {
    super(
      'CONCURRENCY.CONFLICT',
      `Stream ${streamId} is at version ${actualVersion}, expected ${expectedVersion}`,
      { streamId, expectedVersion, actualVersion },
    );
  }
}

/** The caller's If-Match no longer holds. */
export class PreconditionFailedError extends DomainError {
  readonly kind = 'precondition' as const;
}

/** A dependency (database, broker) is unavailable: retry later. */
export class UnavailableError extends DomainError {
  readonly kind = 'unavailable' as const;
}
