import { Admin, Consumer, Kafka, KafkaConfig, KafkaMessage, LogEntry, logLevel, Partitioners, Producer } from 'kafkajs';
import { IncomingMessage, MessageBus, MessageProducer, SubscribeOptions, Subscription, TopicSpec, UNLIMITED_RETENTION } from './message-bus';

export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  /** kafkajs log level; errors only by default (it is chatty about retries it recovers from). */
  logLevel?: logLevel;
  /** Overrides for tests (shorter timeouts). */
  kafka?: Partial<KafkaConfig>;
  sessionTimeoutMs?: number;
}

/** The distributed path: a real Kafka cluster through kafkajs. */
export class KafkaMessageBus implements MessageBus {
  readonly durable = true;
  private readonly kafka: Kafka;
  private admin?: Promise<Admin>;
  private readonly open = new Set<{ disconnect(): Promise<void> }>();

  constructor(private readonly options: KafkaBusOptions) {
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: options.logLevel ?? logLevel.ERROR,
      connectionTimeout: 3000,
      requestTimeout: 30000,
      retry: { initialRetryTime: 100, retries: 8, maxRetryTime: 5000 },
      logCreator: quietLogCreator,
      ...options.kafka,
    });
  }

  /** One admin client, connected once; calls that come while it connects wait for that connection. */
  private getAdmin(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      try {
        await admin.connect();
      } catch (error) {
        this.admin = undefined; // the next call tries again
        throw error;
      }
      this.open.add(admin);
      return admin;
    })();
    return this.admin;
  }

  async ensureTopics(topics: TopicSpec[]): Promise<void> {
    const admin = await this.getAdmin();
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length === 0) return;
    // kafkajs's waitForLeaders rejects on a transient "unknown topic" (kafkajs #815, #1563): create
    // without it, then wait for every partition to have a leader ourselves.
    await admin
      .createTopics({
        waitForLeaders: false,
        topics: missing.map((t) => ({
        topic: t.topic,
        numPartitions: t.partitions,
        replicationFactor: -1, // the broker's default: 1 on a dev/CI node, 3 in production clusters
          configEntries: Object.entries({ ...UNLIMITED_RETENTION, ...t.config }).map(([name, value]) => ({ name, value })),
        })),
      })
      .catch((error: { type?: string }) => {
        if (error?.type !== 'TOPIC_ALREADY_EXISTS') throw error;
      });
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const { topics: metadata } = await admin.fetchTopicMetadata({ topics: missing.map((t) => t.topic) });
        if (metadata.every((m) => m.partitions.length > 0 && m.partitions.every((p) => p.leader >= 0))) return;
      } catch (error) {
        if (!(error as { retriable?: boolean }).retriable) throw error;
      }
      if (Date.now() > deadline) throw new Error(`Topics ${missing.map((t) => t.topic).join(', ')} have no leaders after 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async createProducer(): Promise<MessageProducer> {
    // Idempotent: the broker drops duplicates from the client's own retries; one request in flight
    // keeps per-partition order across those retries.
    const producer: Producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    this.open.add(producer);
    return {
      publish: async (topic, messages) => {
        if (messages.length === 0) return;
        await producer.send({ topic, acks: -1, messages });
      },
      close: async () => {
        this.open.delete(producer);
        await producer.disconnect();
      },
    };
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const consumer: Consumer = this.kafka.consumer({
      groupId: options.groupId,
      // kafkajs heartbeats only between fetches: short fetch waits and heartbeats make rebalances
      // take well under a second instead of 5–10 s (measured, docs/adr/0002).
      sessionTimeout: this.options.sessionTimeoutMs ?? 10000,
      rebalanceTimeout: 10000,
      heartbeatInterval: 500,
      maxWaitTimeInMs: 250,
      allowAutoTopicCreation: false,
    });
    await consumer.connect();
    this.open.add(consumer);
    const ready = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    try {
      await consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning ?? true });
      await consumer.run({
        autoCommit: true,
        autoCommitInterval: 1000,
        eachMessage: async ({ topic, partition, message }) => {
          const incoming: IncomingMessage = { topic, partition, offset: message.offset, ...fromKafka(message) };
          await options.handle(incoming);
        },
      });
    } catch (error) {
      this.open.delete(consumer);
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
    return {
      ready,
      stop: async () => {
        this.open.delete(consumer);
        await consumer.disconnect();
      },
    };
  }

  async ping(): Promise<void> {
    const admin = await this.getAdmin();
    await admin.describeCluster();
  }

  async listTopics(): Promise<string[]> {
    return (await this.getAdmin()).listTopics();
  }

  /**
   * A throwaway group reads each partition from its low watermark to the high one fetched at the
   * start, commits nothing, and is deleted at the end.
   */
  async readToEnd(topics: string[], handle: (batch: IncomingMessage[]) => Promise<void>, onTotal?: (messages: number) => void): Promise<number> {
    const admin = await this.getAdmin();
    const remaining = new Map<string, bigint>(); // `${topic}/${partition}` → the offset that ends it
    let total = 0n;
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(p.high) > BigInt(p.low)) remaining.set(`${topic}/${p.partition}`, BigInt(p.high));
        total += BigInt(p.high) - BigInt(p.low);
      }
    }
    onTotal?.(Number(total));
    if (remaining.size === 0) return 0;
    const groupId = `thihanh-audit-${Date.now()}-${Math.random().toString(16).slice(2)}`;
    const consumer = this.kafka.consumer({ groupId, maxWaitTimeInMs: 250, allowAutoTopicCreation: false });
    await consumer.connect();
    let count = 0;
    let failed = false;
    try {
      await consumer.subscribe({ topics, fromBeginning: true });
      const done = new Promise<void>((resolve, reject) => {
        consumer
          .run({
            autoCommit: false,
            eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
              const key = `${batch.topic}/${batch.partition}`;
              const end = remaining.get(key);
              if (end === undefined || failed) return;
              const messages = batch.messages.filter((m) => BigInt(m.offset) < end);
              if (messages.length) {
                // A failing handler ends the read (the caller decides), instead of kafkajs retrying the batch for ever.
                try {
                  await handle(messages.map((m) => ({ topic: batch.topic, partition: batch.partition, offset: m.offset, ...fromKafka(m) })));
                } catch (error) {
                  failed = true;
                  reject(error);
                  return;
                }
                count += messages.length;
                resolveOffset(messages[messages.length - 1].offset);
              }
              await heartbeat();
              if (BigInt(batch.lastOffset()) + 1n >= end) {
                remaining.delete(key);
                if (remaining.size === 0) resolve();
              }
            },
          })
          .catch(reject);
      });
      await done;
    } finally {
      await consumer.disconnect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
    return count;
  }

  async close(): Promise<void> {
    for (const client of [...this.open]) {
      this.open.delete(client);
      await client.disconnect().catch(() => undefined);
    }
    this.admin = undefined;
  }
}

/** Key, value and headers of a kafkajs message as text. */
function fromKafka(message: KafkaMessage): { key: string; value: string; headers: Record<string, string> } {
  return {
    key: message.key?.toString('utf8') ?? '',
    value: message.value?.toString('utf8') ?? '',
    headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, Array.isArray(v) ? String(v[0]) : String(v ?? '')])),
  };
}

/**
 * kafkajs logs at ERROR every error response it then retries by itself (rebalances, coordinator
 * loading, concurrent transactions): those become warnings; real errors stay errors. JSON to stderr.
 */
function quietLogCreator(level: logLevel) {
  return ({ namespace, level: entryLevel, log }: LogEntry) => {
    if (entryLevel > level) return;
    const retried = /^Response |The coordinator is (loading|not available)|rebalanc/i.test(log.message) || namespace === 'Connection';
    const shown = retried && entryLevel === logLevel.ERROR ? logLevel.WARN : entryLevel;
    if (shown > level) return;
    const { message, ...rest } = log;
    process.stderr.write(`${JSON.stringify({ level: logLevel[shown], logger: 'kafkajs', namespace, msg: message, ...rest })}\n`);
  };
}
