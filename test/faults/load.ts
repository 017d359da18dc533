// Open-loop load for the fault tests: commands sent on a fixed schedule whatever the service does, each
// with its own correlation id (also its Idempotency-Key, as the SDK sends one), and every outcome kept,
// so a test can check each acknowledged command.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

export interface Outcome<T> {
  /** What the command was (the test's own description of it). */
  command: T;
  correlationId: string;
  /** HTTP status, or 0 when no response came (refused, reset, timed out). */
  status: number;
  body: unknown;
  contentType: string | null;
  /** Milliseconds from sending to the answer (or the failure). */
  ms: number;
  /** When it was sent (Date.now()). */
  sentAt: number;
  /** The answer is a replay of the first one with its Idempotency-Key (Idempotency-Replayed: true). */
  replayed: boolean;
}

export interface Request {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

/** Sends `commands` at `perSecond`, not waiting for answers before the next one is due. */
export class OpenLoopLoad<T> {
  private readonly pending: Promise<Outcome<T>>[] = [];
  private timer?: NodeJS.Timeout;
  private next = 0;
  /** Commands sent so far. */
  sent = 0;

  constructor(
    private readonly commands: T[],
    private readonly toRequest: (command: T) => Request,
    private readonly perSecond: number,
  ) {}

  start(): void {
    const started = Date.now();
    const tick = () => {
      const due = Math.floor(((Date.now() - started) / 1000) * this.perSecond) + 1;
      while (this.next < Math.min(due, this.commands.length)) this.pending.push(this.send(this.commands[this.next++]));
      if (this.next < this.commands.length) this.timer = setTimeout(tick, 10);
    };
    tick();
  }

  /** Resolves when every command has been sent and answered (or failed). */
  async finish(): Promise<Outcome<T>[]> {
    while (this.next < this.commands.length) await new Promise((resolve) => setTimeout(resolve, 50));
    return Promise.all(this.pending);
  }

  /** Stops sending; resolves with the outcomes of what was sent. */
  async stop(): Promise<Outcome<T>[]> {
    clearTimeout(this.timer);
    this.commands.length = this.next;
    return Promise.all(this.pending);
  }

  /** Sends a command again, as a client retries: the same request, correlation id and Idempotency-Key. */
  resend(outcome: Outcome<T>): Promise<Outcome<T>> {
    return this.send(outcome.command, outcome.correlationId);
  }

  private async send(command: T, correlationId: string = randomUUID()): Promise<Outcome<T>> {
    this.sent += 1;
    const request = this.toRequest(command);
    const sentAt = Date.now();
    const started = performance.now();
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers: { 'content-type': 'application/json', 'x-correlation-id': correlationId, 'idempotency-key': correlationId, ...request.headers },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: kept as text
      }
      return { command, correlationId, status: response.status, body, contentType: response.headers.get('content-type'), ms: performance.now() - started, sentAt, replayed: response.headers.get('idempotency-replayed') === 'true' };
    } catch (error) {
      return { command, correlationId, status: 0, body: String(error), contentType: null, ms: performance.now() - started, sentAt, replayed: false };
    }
  }
}

/** Counts outcomes by status: `{ 200: 310, 0: 12, 503: 40 }`. */
export function byStatus(outcomes: Outcome<unknown>[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const o of outcomes) counts[o.status] = (counts[o.status] ?? 0) + 1;
  return counts;
}

/** A message read back from a topic: its headers as text, and its value. */
export interface ReadMessage {
  partition: number;
  offset: string;
  headers: Record<string, string>;
  value: string;
}

/** Every message on `topic` up to its current end, duplicates included. */
export async function messagesOnTopic(brokers: string[], topic: string): Promise<ReadMessage[]> {
  const kafka = new Kafka({ brokers, clientId: 'fault-reader', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const remaining = new Map(ends.filter((p) => Number(p.high) > 0).map((p) => [p.partition, Number(p.high)]));
  const messages: ReadMessage[] = [];
  if (!remaining.size) return messages;
  const consumer = kafka.consumer({ groupId: `fault-reader-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error(`Reading ${topic} took over 60 s; left: ${JSON.stringify([...remaining])}`)), 60_000);
    void consumer.run({
      eachMessage: async ({ partition, message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        messages.push({ partition, offset: message.offset, headers, value: message.value?.toString() ?? '' });
        if (Number(message.offset) + 1 >= (remaining.get(partition) ?? 0)) remaining.delete(partition);
        if (!remaining.size) {
          clearTimeout(timeout);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return messages;
}

/** The event id of every message on `topic`, duplicates included. */
export async function eventIdsOnTopic(brokers: string[], topic: string): Promise<string[]> {
  return (await messagesOnTopic(brokers, topic)).map((m) => m.headers['thihanh-event-id']);
}
