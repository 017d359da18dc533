import { eventsTopic } from '@thihanh/contracts';
import { CatchUpSubscription, PostgresEventStore, saveCheckpoint, START } from '@thihanh/event-store';
import { toMessage } from './envelope-codec';
import { MessageBus, MessageProducer } from './message-bus';

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
      handle: (events) => this.publish(events.map((e) => toMessage(e, options.service))),
      onError: (error, attempt) => {
        // A failed send may leave the producer in a bad state: start a fresh one next time.
        const producer = this.producer;
        this.producer = undefined;
        void producer?.close().catch(() => undefined);
        options.onError?.(error, attempt);
      },
    });
  }

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

  private async publish(messages: ReturnType<typeof toMessage>[]): Promise<void> {
    this.producer ??= await this.bus.createProducer();
    await this.producer.publish(this.topic, messages);
  }
}
