import { eventsTopic, HEADERS } from '@thihanh/contracts';
import { CatchUpSubscription, PartialBatchError, PostgresEventStore, saveCheckpoint, START } from '@thihanh/event-store';
import { toMessage } from './envelope-codec';
import { MessageBus, MessageProducer, OutgoingMessage } from './message-bus';

export interface OutboxRelayOptions {
  /** The producing service: names the topic (`thihanh.<service>.events.v1`) and the checkpoint. */
  service: string;
  /** The topic namespace (default `thihanh`). */
  namespace?: string;
  partitions?: number;
  batchSize?: number;
  idleMs?: number;
  onError?: (error: unknown, attempt: number) => void;
}

/**
 * Publishes the store's events to the service's topic in commit order, at least once: the
 * checkpoint moves only after the broker acknowledged the batch. The event table is the outbox, so
 * Kafka never sees a rolled-back event and never misses a committed one.
 */
export class OutboxRelay {
  readonly topic: string;
  private readonly checkpointName: string;
  private producer?: MessageProducer;
  private readonly subscription: CatchUpSubscription;

  constructor(
    private readonly store: PostgresEventStore,
    private readonly bus: MessageBus,
    private readonly options: OutboxRelayOptions,
  ) {
    this.topic = eventsTopic(options.service, options.namespace);
    this.checkpointName = `relay:${this.topic}`;
    this.subscription = new CatchUpSubscription(store, {
      name: this.checkpointName,
      batchSize: options.batchSize ?? 500,
      idleMs: options.idleMs ?? 20,
      handle: async (events) => {
        const sent = { count: 0 };
        try {
          await this.publish(events.map((e) => toMessage(e, options.service)), sent);
        } catch (error) {
          this.failing = { attempts: (this.failing?.attempts ?? 0) + 1, error: error instanceof Error ? error.message : String(error) };
          // The events before the one that failed are on Kafka: the retry starts after them.
          throw sent.count > 0 ? new PartialBatchError(sent.count, error) : error;
        }
        this.failing = undefined;
      },
      onError: (error, attempt) => {
        // A failed send may leave the producer in a bad state: start a fresh one next time.
        const producer = this.producer;
        this.producer = undefined;
        void producer?.close().catch(() => undefined);
        options.onError?.(error, attempt);
      },
    });
  }

  /** Set while publishing fails: how many attempts in a row, and the last error (cleared by a batch published). */
  failing?: { attempts: number; error: string };

  get published(): number {
    return this.subscription.handled;
  }

  /** A bus that forgets (in-process) gets the whole log again: consumers' inboxes drop what they had. */
  async start(): Promise<void> {
    await this.bus.ensureTopics([{ topic: this.topic, partitions: this.options.partitions ?? 6 }]);
    if (!this.bus.durable) await saveCheckpoint(this.store.db, this.checkpointName, START);
    this.subscription.start();
  }

  /** Wakes the relay right after an append in this process. */
  poke(): void {
    this.subscription.poke();
  }

  async stop(): Promise<void> {
    await this.subscription.stop();
    await this.producer?.close().catch(() => undefined);
    this.producer = undefined;
  }

  /**
   * A batch the broker refuses as too large is sent again in halves, in order, down to single events:
   * each event that fits goes through. One event alone larger than the topic takes (its
   * `max.message.bytes`) stops the relay there, in order, with an EventTooLargeError saying which and
   * what to do; the relay keeps retrying, and goes on by itself once the topic takes it.
   */
  private async publish(messages: OutgoingMessage[], sent: { count: number }): Promise<void> {
    this.producer ??= await this.bus.createProducer();
    try {
      await this.producer.publish(this.topic, messages);
      sent.count += messages.length;
    } catch (error) {
      if (!isTooLarge(error)) throw error;
      if (messages.length === 1) throw new EventTooLargeError(this.topic, messages[0], error);
      const half = Math.ceil(messages.length / 2);
      await this.publish(messages.slice(0, half), sent);
      await this.publish(messages.slice(half), sent);
    }
  }
}

/** The broker's refusal of a record or batch for its size (MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE). */
export function isTooLarge(error: unknown): boolean {
  for (let e = error as { type?: unknown; cause?: unknown; originalError?: unknown } | undefined, depth = 0; e && depth < 5; depth += 1) {
    if (e.type === 'MESSAGE_TOO_LARGE' || e.type === 'RECORD_LIST_TOO_LARGE') return true;
    e = (e.originalError ?? e.cause) as typeof e;
  }
  return false;
}

export class EventTooLargeError extends Error {
  readonly eventId: string;
  readonly bytes: number;

  constructor(topic: string, message: OutgoingMessage, cause: unknown) {
    const eventId = message.headers[HEADERS.eventId];
    const type = message.headers[HEADERS.eventType];
    const bytes = Buffer.byteLength(message.value) + Buffer.byteLength(message.key);
    super(
      `Event ${eventId} (${type}, ${bytes} bytes) is larger than topic ${topic} accepts; ` +
        `the relay waits here, in order, and retries: raise the topic's max.message.bytes (and the broker's message.max.bytes) above it`,
      { cause },
    );
    this.name = 'EventTooLargeError';
    this.eventId = eventId;
    this.bytes = bytes;
  }
}
