import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { EventEnvelope, HEADERS, eventsTopic } from '@thihanh/contracts';
import { EVENT_STORE_MIGRATIONS, PgDatabase, PostgresEventStore } from '@thihanh/event-store';
import { aMetadata, describeWithKafka, kafkaBrokers, useTestDatabase } from '@thihanh/testing';
import { toMessage } from './envelope-codec';
import { EventConsumer } from './event-consumer';
import { KafkaMessageBus } from './kafka-message-bus';
import { IncomingMessage } from './message-bus';
import { MESSAGING_MIGRATIONS } from './migrations';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { EventTooLargeError, OutboxRelay } from './outbox-relay';

const ROOT = path.resolve(__dirname, '../../..');

async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

describeWithKafka('messaging over a real Kafka broker', () => {
  const database = useTestDatabase([...EVENT_STORE_MIGRATIONS, ...MESSAGING_MIGRATIONS]);
  let db: PgDatabase;
  let bus: KafkaMessageBus;
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    db = new PgDatabase(database.current.pool);
    await db.query(`CREATE TABLE effects (seq bigserial, event_id uuid NOT NULL, stream_id text NOT NULL, version int NOT NULL)`);
    bus = new KafkaMessageBus({ brokers: kafkaBrokers()!, clientId: 'messaging-test', sessionTimeoutMs: 6000 });
  });
  afterEach(async () => {
    while (closers.length) await closers.pop()!();
    await db.query('TRUNCATE effects');
  });
  afterAll(async () => {
    await bus.close();
  });

  const effects = async () =>
    (await db.query<{ n: string; d: string }>(`SELECT count(*) AS n, count(DISTINCT event_id) AS d FROM effects`)).rows[0];

  const applyToEffects = async (event: EventEnvelope, tx: { query: PgDatabase['query'] }) => {
    await tx.query(`INSERT INTO effects (event_id, stream_id, version) VALUES ($1, $2, $3)`, [event.eventId, event.streamId, event.streamVersion]);
  };

  it('relays stored events to the service topic, keyed by stream, with headers, in order per stream', async () => {
    const service = unique('svc');
    const store = new PostgresEventStore(db, { source: service });
    for (let v = 0; v < 5; v += 1) {
      for (const stream of ['plan-1', 'plan-2', 'plan-3']) {
        await store.append({ streamId: stream, streamType: 'plan', expectedVersion: v, events: [{ type: 'PlanTaskAdded', data: { v } }], metadata: aMetadata({ correlationId: 'corr-1' }) });
      }
    }
    const relay = new OutboxRelay(store, bus, { service });
    await relay.start();
    closers.push(() => relay.stop());

    const raw: IncomingMessage[] = [];
    const tap = await bus.subscribe({ groupId: unique('tap'), topics: [eventsTopic(service)], handle: async (m) => void raw.push(m) });
    closers.push(() => tap.stop());
    const consumer = new EventConsumer(bus, db, { groupId: unique('consumer'), topics: [eventsTopic(service)], handle: applyToEffects });
    await consumer.start();
    closers.push(() => consumer.stop());

    await until(async () => Number((await effects()).n) === 15 && raw.length === 15, 30_000, '15 events');
    expect(raw.every((m) => m.key === m.headers[HEADERS.streamId])).toBe(true);
    expect(raw[0].headers).toMatchObject({ [HEADERS.eventType]: 'PlanTaskAdded', [HEADERS.schemaVersion]: '1', [HEADERS.correlationId]: 'corr-1', [HEADERS.source]: service });
    const { rows } = await db.query<{ stream_id: string; versions: number[] }>(
      `SELECT stream_id, array_agg(version ORDER BY seq) AS versions FROM effects GROUP BY stream_id ORDER BY stream_id`,
    );
    expect(rows).toEqual(['plan-1', 'plan-2', 'plan-3'].map((s) => ({ stream_id: s, versions: [1, 2, 3, 4, 5] })));
  });

  it('splits a batch the topic refuses as too large, and waits, in order, at an event larger than the topic takes until it takes it', async () => {
    const service = unique('svc');
    const topic = eventsTopic(service);
    // One partition, so every event is in one ordered batch; 40 kB per record batch at most.
    await bus.ensureTopics([{ topic, partitions: 1, config: { 'max.message.bytes': '40000' } }]);
    const store = new PostgresEventStore(db, { source: service });
    // The relay publishes the whole log of this database, other tests' events too: these streams are this test's.
    const prefix = unique('doc');
    const append = (name: string, bytes: number) =>
      store.append({ streamId: `${prefix}-${name}`, streamType: 'doc', expectedVersion: 'any', events: [{ type: 'DocumentAdded', data: { text: 'x'.repeat(bytes) } }], metadata: aMetadata() });
    for (let i = 0; i < 6; i += 1) await append(String(i), 15_000); // ~90 kB in one batch: refused whole
    const failures: unknown[] = [];
    const relay = new OutboxRelay(store, bus, { service, partitions: 1, onError: (error) => failures.push(error) });
    const seen: IncomingMessage[] = [];
    const tap = await bus.subscribe({ groupId: unique('tap'), topics: [topic], handle: async (m) => void (m.key.startsWith(prefix) && seen.push(m)) });
    closers.push(() => tap.stop());
    await relay.start();
    closers.push(() => relay.stop());
    await until(() => seen.length === 6, 60_000, 'the 6 events, sent in smaller batches');
    expect(failures).toEqual([]);

    const before = await append('before', 10);
    const big = await append('big', 60_000);
    const after = await append('after', 10);
    relay.poke();
    await until(() => (relay.failing?.attempts ?? 0) >= 3, 30_000, 'the relay to stop at the event too large, and retry');
    expect(failures.at(-1)).toBeInstanceOf(EventTooLargeError);
    expect(relay.failing!.error).toMatch(new RegExp(`^Event ${big.eventIds[0]} \\(DocumentAdded, \\d+ bytes\\) is larger than topic ${topic} accepts`));
    await new Promise((resolve) => setTimeout(resolve, 500));
    // The one before it went out once, however many retries; nothing after it overtakes it.
    expect(seen.slice(6).map((m) => m.headers[HEADERS.eventId])).toEqual([before.eventIds[0]]);

    // The operator raises the topic's limit: the relay goes on by itself, in order.
    const kafka = new Kafka({ brokers: kafkaBrokers()!, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'max.message.bytes', value: '200000' }] }] });
    await admin.disconnect();
    await until(() => seen.length === 9, 60_000, 'the large event and the one after it');
    expect(seen.slice(6).map((m) => m.headers[HEADERS.eventId])).toEqual([before.eventIds[0], big.eventIds[0], after.eventIds[0]]);
    expect(relay.failing).toBeUndefined();
  }, 180_000);

  it('applies a duplicate delivery once', async () => {
    const topic = eventsTopic(unique('dup'));
    await bus.ensureTopics([{ topic, partitions: 2 }]);
    const producer = await bus.createProducer();
    closers.push(() => producer.close());
    const store = new PostgresEventStore(db);
    await store.append({ streamId: 'case-1', streamType: 'case', expectedVersion: 'any', events: [{ type: 'CaseOpened', data: {} }], metadata: aMetadata() });
    const [event] = await store.readStream('case-1');
    await producer.publish(topic, [toMessage(event, 'x'), toMessage(event, 'x'), toMessage(event, 'x')]);
    const consumer = new EventConsumer(bus, db, { groupId: unique('g'), topics: [topic], handle: applyToEffects });
    await consumer.start();
    closers.push(() => consumer.stop());
    await until(() => consumer.applied + consumer.duplicates === 3, 30_000, 'three deliveries');
    expect(await effects()).toEqual({ n: '1', d: '1' });
    expect(consumer.duplicates).toBe(2);
  });

  it('sends a poison message to the dead-letter topic with the error, and the partition moves on', async () => {
    const topic = eventsTopic(unique('poison'));
    await bus.ensureTopics([{ topic, partitions: 1 }]);
    const producer = await bus.createProducer();
    closers.push(() => producer.close());
    const store = new PostgresEventStore(db);
    await store.append({
      streamId: 'case-p',
      streamType: 'case',
      expectedVersion: 'any',
      events: [{ type: 'CaseOpened', data: {} }, { type: 'CaseCorrupted', data: {} }, { type: 'CaseClosed', data: {} }],
      metadata: aMetadata(),
    });
    const events = await store.readStream('case-p');
    await producer.publish(topic, [
      toMessage(events[0], 'x'),
      { key: 'garbage', value: '{not json', headers: {} },
      toMessage(events[1], 'x'),
      toMessage(events[2], 'x'),
    ]);
    const groupId = unique('g');
    const consumer = new EventConsumer(bus, db, {
      groupId,
      topics: [topic],
      maxAttempts: 3,
      backoffMs: 10,
      handle: async (event, tx) => {
        if (event.type === 'CaseCorrupted') throw new Error('cannot apply CaseCorrupted');
        await applyToEffects(event, tx);
      },
    });
    await consumer.start();
    closers.push(() => consumer.stop());
    const dead: IncomingMessage[] = [];
    const tap = await bus.subscribe({ groupId: unique('dlq-tap'), topics: [consumer.deadLetterTopic], handle: async (m) => void dead.push(m) });
    closers.push(() => tap.stop());

    await until(async () => Number((await effects()).n) === 2 && dead.length === 2, 30_000, 'two applied and two dead letters');
    const { rows } = await db.query<{ version: number }>(`SELECT version FROM effects ORDER BY seq`);
    expect(rows.map((r) => r.version)).toEqual([1, 3]);
    expect(dead[0].value).toBe('{not json');
    expect(dead[1].headers).toMatchObject({
      [HEADERS.error]: 'cannot apply CaseCorrupted',
      [HEADERS.attempts]: '3',
      [HEADERS.originalTopic]: topic,
      [HEADERS.consumerGroup]: groupId,
      [HEADERS.eventType]: 'CaseCorrupted',
    });
  });

  it('loses nothing and applies nothing twice when a consumer is killed mid-batch and restarted', async () => {
    const topic = eventsTopic(unique('kill'));
    const groupId = unique('g');
    await bus.ensureTopics([{ topic, partitions: 3 }]);
    const store = new PostgresEventStore(db);
    const TOTAL = 1200;
    for (let i = 0; i < TOTAL; i += 100) {
      await store.append({
        streamId: `case-k${i / 100}`,
        streamType: 'case',
        expectedVersion: 'any',
        events: Array.from({ length: 100 }, (_, j) => ({ type: 'CaseProgressed', data: { percent: j } })),
        metadata: aMetadata(),
      });
    }
    const producer = await bus.createProducer();
    closers.push(() => producer.close());
    const all = await store.readAll(undefined, TOTAL);
    await producer.publish(topic, all.map((e) => toMessage(e, 'x')));

    const startChild = (): ChildProcess =>
      spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, 'kill-test-consumer.fixture.ts')], {
        cwd: ROOT,
        env: { ...process.env, SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'), DATABASE_URL: database.current.url, TOPIC: topic, GROUP: groupId },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
    const first = startChild();
    closers.push(async () => first.kill('SIGKILL'));
    await until(async () => Number((await effects()).n) >= 300, 60_000, 'the first consumer to apply 300');
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const killedAt = Number((await effects()).n);
    expect(killedAt).toBeLessThan(TOTAL);

    const second = startChild();
    closers.push(async () => second.kill('SIGKILL'));
    await until(async () => Number((await effects()).d) === TOTAL, 90_000, 'all events applied after the restart');
    await new Promise((resolve) => setTimeout(resolve, 1500)); // a duplicate would land now
    expect(await effects()).toEqual({ n: String(TOTAL), d: String(TOTAL) });
  });
});

const KAFKA_SCRIPT = path.join(ROOT, 'scripts/kafka.sh');
const javaAvailable = spawnSync('bash', ['-c', 'command -v java && command -v mvn'], { stdio: 'ignore' }).status === 0;

(javaAvailable ? describeWithKafka : describe.skip)('relay across a broker restart (private broker on 127.0.0.1:19092)', () => {
  const database = useTestDatabase([...EVENT_STORE_MIGRATIONS, ...MESSAGING_MIGRATIONS]);
  const brokerEnv = { ...process.env, KAFKA_PORT: '19092', KAFKA_CONTROLLER_PORT: '19093', THIHANH_KAFKA_DIR: path.join(ROOT, '.kafka-restart-test') };
  const broker = (command: string) => {
    const result = spawnSync('bash', [KAFKA_SCRIPT, command], { env: brokerEnv, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`kafka.sh ${command} failed: ${result.stderr}`);
  };

  beforeAll(() => broker('start'), 180_000);
  afterAll(() => broker('stop'), 60_000);

  it('loses nothing and duplicates no effect when the broker stops and restarts while the relay publishes', async () => {
    const db = new PgDatabase(database.current.pool);
    await db.query(`CREATE TABLE effects (seq bigserial, event_id uuid NOT NULL, stream_id text NOT NULL, version int NOT NULL)`);
    const bus = new KafkaMessageBus({ brokers: ['127.0.0.1:19092'], clientId: 'restart-test', sessionTimeoutMs: 6000 });
    const service = unique('restart');
    const store = new PostgresEventStore(db);
    const relay = new OutboxRelay(store, bus, { service, partitions: 3 });
    await relay.start();
    const consumer = new EventConsumer(bus, db, {
      groupId: unique('g'),
      topics: [eventsTopic(service)],
      handle: (event, tx) =>
        tx.query(`INSERT INTO effects (event_id, stream_id, version) VALUES ($1, $2, $3)`, [event.eventId, event.streamId, event.streamVersion]).then(() => undefined),
    });
    await consumer.start();
    const TOTAL = 900;
    const append = async (from: number, to: number) => {
      for (let i = from; i < to; i += 1) {
        await store.append({ streamId: `case-${i % 30}`, streamType: 'case', expectedVersion: 'any', events: [{ type: 'CaseProgressed', data: { i } }], metadata: aMetadata() });
        if (i % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    try {
      await append(0, 300);
      broker('stop'); // while the relay is still publishing what was just appended
      await append(300, 600); // the store keeps accepting; the relay retries
      broker('start');
      await append(600, TOTAL);
      await until(async () => Number((await db.query<{ d: string }>(`SELECT count(DISTINCT event_id) AS d FROM effects`)).rows[0].d) === TOTAL, 120_000, 'every event applied');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const { rows } = await db.query<{ n: string; d: string }>(`SELECT count(*) AS n, count(DISTINCT event_id) AS d FROM effects`);
      expect(rows[0]).toEqual({ n: String(TOTAL), d: String(TOTAL) });
      const order = await db.query<{ bad: string }>(
        `SELECT count(*) AS bad FROM (SELECT version, lag(version) OVER (PARTITION BY stream_id ORDER BY seq) AS prev FROM effects) x WHERE prev IS NOT NULL AND version <= prev`,
      );
      expect(order.rows[0].bad).toBe('0');
    } finally {
      await consumer.stop().catch(() => undefined);
      await relay.stop();
      await bus.close();
    }
  }, 240_000);
});
