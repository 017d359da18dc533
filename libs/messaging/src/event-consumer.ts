import { EventEnvelope, HEADERS, deadLetterTopic } from '@thihanh/contracts';
import { DomainError } from '@thihanh/domain';
import { Database, isDatabaseUnavailable, SqlClient } from '@thihanh/event-store';
import { UndecodableMessageError, fromMessage } from './envelope-codec';
import { IncomingMessage, MessageBus, MessageProducer, Subscription } from './message-bus';

export interface EventConsumerOptions {
  /** Consumer group, named after the consuming service, e.g. `task-assignment`. */
  groupId: string;
  topics: string[];
  /** The topic namespace of the dead-letter topic (default `thihanh`). */
  namespace?: string;
  /**
   * Applies one event inside a transaction that also records its id: the effect happens exactly
   * once however often Kafka delivers it. Write effects through `tx`; keep it thin (hand over to the domain).
   */
  handle: (event: EventEnvelope, tx: SqlClient) => Promise<void>;
  /** Attempts before a failing message goes to the dead-letter topic. */
  maxAttempts?: number;
  backoffMs?: number;
  onDeadLetter?: (event: IncomingMessage, error: unknown) => void;
  /** A new group starts from the oldest retained message (default) or from now. */
  fromBeginning?: boolean;
  onRetry?: (error: unknown, attempt: number) => void;
}

class AlreadyApplied extends Error {}

/**
 * At-least-once delivery turned into exactly-once effects (the inbox), with retries and backoff,
 * and a dead-letter topic (error in headers) after `maxAttempts`, so one bad message never stalls a
 * partition. Infrastructure failures (database down) are retried without limit instead: they say
 * nothing about the message, and dead-lettering on them would drop good events.
 */
export class EventConsumer {
  private subscription?: Subscription;
  private deadLetters?: MessageProducer;
  applied = 0;
  duplicates = 0;
  deadLettered = 0;

  constructor(
    private readonly bus: MessageBus,
    private readonly db: Database,
    private readonly options: EventConsumerOptions,
  ) {}

  get deadLetterTopic(): string {
    return deadLetterTopic(this.options.groupId, this.options.namespace);
  }

  async start(): Promise<void> {
    await this.bus.ensureTopics([{ topic: this.deadLetterTopic, partitions: 1 }]);
    this.deadLetters = await this.bus.createProducer();
    this.subscription = await this.bus.subscribe({
      groupId: this.options.groupId,
      topics: this.options.topics,
      fromBeginning: this.options.fromBeginning ?? true,
      handle: (message) => this.process(message),
    });
  }

  /** Resolves once the consumer has joined its group. */
  get ready(): Promise<void> {
    return this.subscription?.ready ?? Promise.reject(new Error('EventConsumer not started'));
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    await this.deadLetters?.close();
    this.subscription = undefined;
  }

  private async process(message: IncomingMessage): Promise<void> {
    let envelope: EventEnvelope;
    try {
      envelope = fromMessage(message);
    } catch (error) {
      return this.deadLetter(message, error, 1);
    }
    const maxAttempts = this.options.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.applyOnce(envelope, message);
        return;
      } catch (error) {
        if (error instanceof AlreadyApplied) {
          this.duplicates += 1;
          return;
        }
        this.options.onRetry?.(error, attempt);
        if (!isTransient(error) && attempt >= maxAttempts) return this.deadLetter(message, error, attempt);
        const backoff = (this.options.backoffMs ?? 100) * 2 ** Math.min(attempt - 1, 7);
        await new Promise((resolve) => setTimeout(resolve, Math.min(backoff, 15_000)));
      }
    }
  }

  private async applyOnce(envelope: EventEnvelope, message: IncomingMessage): Promise<void> {
    const { groupId } = this.options;
    const seen = await this.db.query(`SELECT 1 FROM msg_inbox WHERE consumer = $1 AND event_id = $2`, [groupId, envelope.eventId]);
    if (seen.rows.length) throw new AlreadyApplied();
    await this.db.transaction(async (tx) => {
      // The handler writes first (an append must be a transaction's first write); the inbox row
      // comes last, and a concurrent duplicate blocks on it and then rolls back.
      await this.options.handle(envelope, tx);
      const inserted = await tx.query(
        `INSERT INTO msg_inbox (consumer, event_id, topic, partition, "offset") VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING`,
        [groupId, envelope.eventId, message.topic, message.partition, message.offset],
      );
      if (inserted.rowCount === 0) throw new AlreadyApplied();
    });
    this.applied += 1;
  }

  private async deadLetter(message: IncomingMessage, error: unknown, attempts: number): Promise<void> {
    const err = error as Error;
    await this.deadLetters!.publish(this.deadLetterTopic, [
      {
        key: message.key,
        value: message.value,
        headers: {
          ...message.headers,
          [HEADERS.error]: String(err?.message ?? error).slice(0, 2000),
          [HEADERS.errorName]: err instanceof DomainError ? err.code : (err?.name ?? 'Error'),
          [HEADERS.attempts]: String(attempts),
          [HEADERS.originalTopic]: message.topic,
          [HEADERS.originalPartition]: String(message.partition),
          [HEADERS.originalOffset]: message.offset,
          [HEADERS.consumerGroup]: this.options.groupId,
          [HEADERS.failedAt]: new Date().toISOString(),
        },
      },
    ]);
    this.deadLettered += 1;
    this.options.onDeadLetter?.(message, error);
  }
}

/** Failures of the infrastructure rather than of the message: retry until it comes back. */
export function isTransient(error: unknown): boolean {
  if (error instanceof UndecodableMessageError) return false;
  if (error instanceof DomainError) return error.kind === 'unavailable' || error.details['retryable'] === true;
  return isDatabaseUnavailable(error);
}
