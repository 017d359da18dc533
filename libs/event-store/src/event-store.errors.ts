import { DomainError, InvalidInputError, RuleViolationError, UnavailableError } from '@thihanh/domain';

/**
 * The transaction wrote before appending, and another append to the stream committed in between
 * with a newer transaction id. Retrying the whole transaction is safe and succeeds.
 */
export class TransactionOrderError extends UnavailableError {
  constructor(streamId: string) {
    super(
      'EVENT_STORE.TRANSACTION_ORDER',
      `Append to ${streamId} must be the transaction's first write; retry the transaction`,
      { streamId, retryable: true },
    );
  }
}

export class DuplicateEventError extends RuleViolationError {
  constructor(streamId: string) {
    super('EVENT_STORE.DUPLICATE_EVENT_ID', `An event with this id is already stored (stream ${streamId})`, {
      streamId,
    });
  }
}

export class InvalidEventError extends InvalidInputError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('EVENT_STORE.INVALID_EVENT', message, details);
  }
}

export function isRetryable(error: unknown): boolean {
  return error instanceof DomainError && error.details['retryable'] === true;
}
