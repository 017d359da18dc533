/**
 * Our own messaging interface. kafkajs (unmaintained since 2023) sits behind it, so the client can
 * be swapped; the in-process bus implements it too for the embedded mode and unit tests.
 */
export interface OutgoingMessage {
  key: string;
  value: string;
  headers: Record<string, string>;
}

export interface IncomingMessage extends OutgoingMessage {
  topic: string;
  partition: number;
  offset: string;
}

export interface TopicSpec {
  topic: string;
  partitions: number;
  /** Broker configs; topics default to unlimited retention (auditors replay from Kafka). */
  config?: Record<string, string>;
}

export interface MessageProducer {
  /** Resolves once every message is acknowledged by the broker (acks=all); order kept per key. */
  publish(topic: string, messages: OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}

export interface SubscribeOptions {
  /** Consumer group, named after the consuming service. */
  groupId: string;
  topics: string[];
  fromBeginning?: boolean;
  /**
   * Called once per message, in order within a partition. The offset is committed only after it
   * resolves; if it rejects, the bus stops the consumer (callers handle retries themselves).
   */
  handle: (message: IncomingMessage) => Promise<void>;
}

export interface Subscription {
  /** Resolves once the consumer has joined its group and owns partitions (or at once in-process). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

export interface MessageBus {
  /**
   * Whether messages outlive the process (Kafka) or not (the in-process bus): a service publishing to
   * a bus that forgets starts its relay from the beginning of its log each time (consumers drop what
   * they already applied), so nothing is lost across a restart.
   */
  readonly durable: boolean;
  ensureTopics(topics: TopicSpec[]): Promise<void>;
  createProducer(): Promise<MessageProducer>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /** Cheap liveness check for health endpoints. */
  ping(): Promise<void>;
  /** The topics that exist (auditors look for the services' event topics). */
  listTopics(): Promise<string[]>;
  /**
   * Reads every message of the topics, from the oldest retained one to the end as it is when called,
   * in batches (in order within a partition), then resolves with the count: an auditor's replay. It
   * joins no lasting consumer group and commits nothing.
   */
  readToEnd(topics: string[], handle: (batch: IncomingMessage[]) => Promise<void>, onTotal?: (messages: number) => void): Promise<number>;
  close(): Promise<void>;
}

export const MESSAGE_BUS = Symbol('MESSAGE_BUS');

export const UNLIMITED_RETENTION: Record<string, string> = { 'retention.ms': '-1', 'retention.bytes': '-1' };
