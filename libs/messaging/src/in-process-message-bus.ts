import { createHash } from 'node:crypto';
import { IncomingMessage, MessageBus, MessageProducer, SubscribeOptions, Subscription, TopicSpec } from './message-bus';

interface Topic {
  partitions: IncomingMessage[][];
}

interface Group {
  offsets: Map<string, number>; // `${topic}/${partition}` → next offset
  active: boolean;
  wake?: () => void;
}

/**
 * Kafka's semantics in one process, for the embedded mode and unit tests: keyed partitions, order
 * per partition, consumer groups with their own offsets, delivery after publish resolves. Nothing
 * is persisted: the embedded mode replays from its event store's checkpoints instead.
 */
export class InProcessMessageBus implements MessageBus {
  readonly durable = false;
  private readonly topics = new Map<string, Topic>();
  private readonly groups = new Map<string, Group>();

  async ensureTopics(specs: TopicSpec[]): Promise<void> {
    for (const spec of specs) {
      if (!this.topics.has(spec.topic)) {
        this.topics.set(spec.topic, { partitions: Array.from({ length: spec.partitions }, () => []) });
      }
    }
  }

  /** Everything published to a topic so far, partition by partition (for tests). */
  messages(topic: string): IncomingMessage[] {
    return (this.topics.get(topic)?.partitions ?? []).flat();
  }

  async createProducer(): Promise<MessageProducer> {
    return {
      publish: async (topicName, messages) => {
        const topic = this.topics.get(topicName);
        if (!topic) throw new Error(`Topic ${topicName} does not exist`);
        for (const message of messages) {
          const partition = partitionFor(message.key, topic.partitions.length);
          const log = topic.partitions[partition];
          log.push({ ...message, headers: { ...message.headers }, topic: topicName, partition, offset: String(log.length) });
        }
        for (const group of this.groups.values()) group.wake?.();
      },
      close: async () => undefined,
    };
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    for (const topic of options.topics) {
      if (!this.topics.has(topic)) throw new Error(`Topic ${topic} does not exist`);
    }
    const existing = this.groups.get(options.groupId);
    if (existing?.active) throw new Error(`Consumer group ${options.groupId} already has a member in this process`);
    const group: Group = existing ?? { offsets: new Map(), active: true };
    group.active = true;
    this.groups.set(options.groupId, group);
    const loop = this.consume(group, options);
    return {
      ready: Promise.resolve(),
      stop: async () => {
        group.active = false;
        group.wake?.();
        await loop;
      },
    };
  }

  private async consume(group: Group, options: SubscribeOptions): Promise<void> {
    while (group.active) {
      let delivered = 0;
      for (const topicName of options.topics) {
        const topic = this.topics.get(topicName)!;
        for (let p = 0; p < topic.partitions.length && group.active; p += 1) {
          const key = `${topicName}/${p}`;
          const start = group.offsets.get(key) ?? (options.fromBeginning === false ? topic.partitions[p].length : 0);
          const log = topic.partitions[p];
          for (let offset = start; offset < log.length && group.active; offset += 1) {
            await options.handle(log[offset]);
            group.offsets.set(key, offset + 1);
            delivered += 1;
          }
          group.offsets.set(key, Math.max(group.offsets.get(key) ?? 0, start));
        }
      }
      if (delivered === 0 && group.active) await new Promise<void>((resolve) => (group.wake = resolve));
      group.wake = undefined;
    }
  }

  async ping(): Promise<void> {
    return;
  }

  async listTopics(): Promise<string[]> {
    return [...this.topics.keys()];
  }

  async readToEnd(topics: string[], handle: (batch: IncomingMessage[]) => Promise<void>, onTotal?: (messages: number) => void): Promise<number> {
    onTotal?.(topics.reduce((n, name) => n + (this.topics.get(name)?.partitions ?? []).reduce((m, log) => m + log.length, 0), 0));
    let count = 0;
    for (const name of topics) {
      for (const log of this.topics.get(name)?.partitions ?? []) {
        const batch = log.slice();
        if (batch.length) await handle(batch);
        count += batch.length;
      }
    }
    return count;
  }

  async close(): Promise<void> {
    for (const group of this.groups.values()) {
      group.active = false;
      group.wake?.();
    }
  }
}

/** Same idea as Kafka's default partitioner: a stable hash of the key. */
function partitionFor(key: string, partitions: number): number {
  return createHash('md5').update(key).digest().readUInt32BE(0) % partitions;
}
