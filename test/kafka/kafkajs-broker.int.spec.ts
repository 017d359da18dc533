/**
 * Smoke test: does kafkajs 2.2.4 work against the project's Kafka broker (scripts/kafka.sh, KRaft)?
 * The broker version decision (docs/adr/0002-kafka-broker-without-docker.md) rests on this suite:
 * explicit topic creation with partitions and configs, the idempotent producer, transactions with
 * read_committed isolation, consumer-group join and rebalance, and consume-transform-produce.
 *
 *   bash scripts/kafka.sh start
 *   KAFKA_BROKERS=127.0.0.1:9092 npx jest -c jest.int.config.js test/kafka --verbose
 *
 * Every run uses fresh topic and group names and deletes them at the end, so runs never collide.
 * No fixed sleeps: each wait polls a condition against a deadline and fails saying what it waited for.
 */
import { randomBytes } from 'node:crypto';
import {
  Admin,
  ConfigResourceTypes,
  Consumer,
  ConsumerConfig,
  EachMessagePayload,
  Kafka,
  LogEntry,
  logLevel,
  Partitioners,
  Producer,
  ProducerConfig,
} from 'kafkajs';
import { kafkaBrokers } from '@thihanh/testing';

const brokers = kafkaBrokers();
const suiteName = 'kafkajs 2.2.4 against the real Kafka broker';
// Own gate on Kafka only: this suite needs no PostgreSQL (describeWithKafka requires both).
const describeKafka: (name: string, body: () => void) => void = brokers
  ? (name, body) => describe(`${name} (${brokers.join(',')})`, body)
  : (name, body) =>
      describe.skip(`${name} [skipped: no Kafka — set KAFKA_BROKERS, e.g. after \`bash scripts/kafka.sh start\`]`, body);

const run = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
const topicName = (what: string): string => `smoke.kafkajs.${run}.${what}`;
const groupName = (what: string): string => `smoke-kafkajs-${run}-${what}`;
const PARTITIONS = 6;
/**
 * For transactional producers. The broker answers CONCURRENT_TRANSACTIONS to AddPartitionsToTxn while
 * the previous commit's markers are still being written; kafkajs retries only after its default
 * initialRetryTime (300 ms, tulios/kafkajs#304), which makes back-to-back transactions ~150 ms each
 * instead of ~20 ms. Retries stay unlimited: kafkajs warns that limiting them breaks idempotence.
 */
const TX_RETRY = { initialRetryTime: 10, retries: Number.MAX_SAFE_INTEGER };
const ALL_PARTITIONS = [0, 1, 2, 3, 4, 5];

/** Poll `condition` until true; fail with `what` once `timeoutMs` has passed. */
async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Fields kafkajs decodes from the record batch header but leaves out of its typings. */
interface BatchContext {
  producerId: string | number;
  producerEpoch: number;
  firstSequence: number;
  inTransaction: boolean;
}
const batchContextOf = (message: EachMessagePayload['message']): BatchContext =>
  (message as unknown as { batchContext: BatchContext }).batchContext;

interface Received {
  partition: number;
  offset: number;
  key: string;
  value: string;
  producerId: string;
  inTransaction: boolean;
}

describeKafka(suiteName, () => {
  // Client-side log lines at WARN and above, kept for the report instead of going to the console.
  const logLines: string[] = [];
  // Measured timings printed at the end, for the broker-version ADR.
  const timings: string[] = [];
  let kafka: Kafka;
  let admin: Admin;
  // An admin that never retries, to observe the broker's first answer (kafkajs retries
  // UNKNOWN_TOPIC_OR_PARTITION, which would hide it).
  let probe: Admin;
  const createdTopics: string[] = [];
  const createdGroups: string[] = [];
  const open: Array<{ disconnect(): Promise<void> }> = [];

  // Consumers tuned so group changes are seen quickly: kafkajs only heartbeats between fetches, so an
  // idle consumer notices a rebalance only after its fetch long-poll (maxWaitTimeInMs) returns.
  const consumerDefaults: Omit<ConsumerConfig, 'groupId'> = {
    sessionTimeout: 10_000,
    rebalanceTimeout: 10_000,
    heartbeatInterval: 500,
    maxWaitTimeInMs: 250,
    allowAutoTopicCreation: false,
  };

  const producer = (config: ProducerConfig = {}): Producer => {
    const p = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false, ...config });
    open.push(p);
    return p;
  };

  const consumer = (groupId: string, config: Partial<ConsumerConfig> = {}): Consumer => {
    const c = kafka.consumer({ ...consumerDefaults, ...config, groupId });
    createdGroups.push(groupId);
    open.push(c);
    return c;
  };

  /** Subscribe from the beginning and record every message delivered. */
  async function collect(c: Consumer, topic: string, into: Received[]): Promise<void> {
    await c.connect();
    await c.subscribe({ topics: [topic], fromBeginning: true });
    await c.run({
      eachMessage: async ({ partition, message }) => {
        const ctx = batchContextOf(message);
        into.push({
          partition,
          offset: Number(message.offset),
          key: message.key?.toString() ?? '',
          value: message.value?.toString() ?? '',
          producerId: String(ctx.producerId),
          inTransaction: ctx.inTransaction,
        });
      },
    });
  }

  /** Every partition of the topic has a leader in the metadata the broker serves. */
  async function hasLeaders(topic: string, numPartitions: number): Promise<boolean> {
    try {
      const { topics } = await probe.fetchTopicMetadata({ topics: [topic] });
      return topics[0].partitions.length === numPartitions && topics[0].partitions.every((p) => p.leader >= 0);
    } catch (e) {
      // UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE and other retriable answers: not ready yet.
      if ((e as { retriable?: boolean }).retriable) return false;
      throw e;
    }
  }

  /**
   * createTopics, then wait for leaders ourselves. kafkajs' own `waitForLeaders: true` retries only
   * LEADER_NOT_AVAILABLE; with KRaft the broker's metadata can lag the controller's answer by a few
   * ms, its metadata then says UNKNOWN_TOPIC_OR_PARTITION, and createTopics rejects although the
   * topic was created (seen here with two suites running at once).
   */
  async function createTopic(topic: string, numPartitions: number): Promise<void> {
    const created = await admin.createTopics({
      waitForLeaders: false,
      topics: [
        {
          topic,
          numPartitions,
          replicationFactor: 1,
          configEntries: [
            { name: 'retention.ms', value: '-1' },
            { name: 'retention.bytes', value: '-1' },
          ],
        },
      ],
    });
    expect(created).toBe(true);
    createdTopics.push(topic);
    await until(`leaders for all ${numPartitions} partitions of ${topic}`, () => hasLeaders(topic, numPartitions));
  }

  /**
   * End offset of each partition, by partition number. kafkajs' admin asks ListOffsets with
   * read_committed isolation, so this is the last stable offset: an open transaction holds it back.
   * Transaction markers take offsets too.
   */
  async function endOffsets(topic: string): Promise<number[]> {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.sort((a, b) => a.partition - b.partition).map((o) => Number(o.high));
  }

  beforeAll(async () => {
    kafka = new Kafka({
      clientId: `smoke-${run}`,
      brokers: brokers!,
      connectionTimeout: 3_000,
      requestTimeout: 10_000,
      logLevel: logLevel.WARN,
      logCreator:
        () =>
        ({ namespace, level, label, log }: LogEntry) => {
          if (level > logLevel.WARN) return;
          const test = expect.getState().currentTestName?.replace(`${suiteName} (${brokers!.join(',')}) `, '') ?? 'setup';
          logLines.push(`${label} [${namespace}] ${log.message}${log['error'] ? ` (${String(log['error'])})` : ''} — in: ${test.slice(0, 40)}`);
        },
    });
    admin = kafka.admin();
    await admin.connect();
    probe = kafka.admin({ retry: { retries: 0 } });
    await probe.connect();
  });

  afterAll(async () => {
    for (const client of open.reverse()) await client.disconnect().catch(() => undefined);
    if (admin) {
      await admin.deleteGroups([...new Set(createdGroups)]).catch(() => undefined);
      if (createdTopics.length) await admin.deleteTopics({ topics: createdTopics }).catch(() => undefined);
      await admin.disconnect();
    }
    await probe?.disconnect();
    const counts = new Map<string, number>();
    for (const line of logLines) counts.set(line, (counts.get(line) ?? 0) + 1);
    process.stdout.write(
      `\nkafkajs client log lines at WARN/ERROR during the smoke run: ${logLines.length} (${counts.size} distinct)\n` +
        [...counts].map(([line, n]) => `  ${n}× ${line}`).join('\n') +
        `\ntimings:\n${timings.map((t) => `  ${t}`).join('\n')}\n`,
    );
  });

  it('createTopics makes a topic with exactly 6 partitions and unlimited retention; no topic is auto-created', async () => {
    const topic = topicName('admin');
    await createTopic(topic, PARTITIONS);

    // Creating it again reports "not created" instead of failing.
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }] })).toBe(false);
    expect(await admin.listTopics()).toContain(topic);

    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(topics).toHaveLength(1);
    expect(topics[0].name).toBe(topic);
    const partitions = [...topics[0].partitions].sort((a, b) => a.partitionId - b.partitionId);
    expect(partitions.map((p) => p.partitionId)).toEqual(ALL_PARTITIONS);
    for (const p of partitions) {
      expect(p.leader).toBe(1);
      expect(p.replicas).toEqual([1]);
      expect(p.isr).toEqual([1]);
    }

    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms', 'retention.bytes'] }],
    });
    expect(described.resources).toHaveLength(1);
    expect(described.resources[0].errorCode).toBe(0);
    const entries = Object.fromEntries(
      described.resources[0].configEntries.map((e) => [e.configName, { value: e.configValue, isDefault: e.isDefault }]),
    );
    expect(entries).toEqual({
      'retention.ms': { value: '-1', isDefault: false },
      'retention.bytes': { value: '-1', isDefault: false },
    });

    // auto.create.topics.enable=false: asking for an unknown topic's metadata must not create it.
    const missing = topicName('never-created');
    await expect(probe.fetchTopicMetadata({ topics: [missing] })).rejects.toMatchObject({
      type: 'UNKNOWN_TOPIC_OR_PARTITION',
    });
    expect(await admin.listTopics()).not.toContain(missing);
  });

  it('idempotent producer: 1,000 keyed messages are read exactly once each, in send order per key', async () => {
    const topic = topicName('idempotent');
    await createTopic(topic, PARTITIONS);
    const KEYS = 20;
    const TOTAL = 1_000;

    const p = producer({ idempotent: true, maxInFlightRequests: 1 });
    await p.connect();
    const t0 = Date.now();
    for (let batch = 0; batch < TOTAL / 100; batch++) {
      const messages = Array.from({ length: 100 }, (_, j) => {
        const i = batch * 100 + j;
        return { key: `key-${i % KEYS}`, value: `${i % KEYS}:${Math.floor(i / KEYS)}` };
      });
      const metadata = await p.send({ topic, messages }); // acks defaults to -1 (all), required when idempotent
      expect(metadata.every((m) => m.errorCode === 0)).toBe(true);
    }
    timings.push(`idempotent: 1,000 messages in 10 sends of 100 (acks=all): ${Date.now() - t0} ms`);
    expect((await endOffsets(topic)).reduce((a, b) => a + b, 0)).toBe(TOTAL); // nothing written twice

    const received: Received[] = [];
    const c = consumer(groupName('idempotent'));
    await collect(c, topic, received);
    const t1 = Date.now();
    await until(`${TOTAL} messages consumed`, () => received.length >= TOTAL);
    timings.push(`idempotent: consumer start (join + fetch) to 1,000 messages read: ${Date.now() - t1} ms`);
    const committedAll = async (): Promise<boolean> => {
      const [{ partitions }] = await admin.fetchOffsets({ groupId: groupName('idempotent'), topics: [topic] });
      const ends = await endOffsets(topic);
      return partitions.every((p) => Number(p.offset) === ends[p.partition]);
    };
    await until('group offsets committed up to the end of every partition', committedAll);
    expect(received).toHaveLength(TOTAL);

    // Every record carries a producer id (idempotence on) and is not part of a transaction.
    expect(received.every((r) => r.producerId !== '-1' && !r.inTransaction)).toBe(true);
    expect(new Set(received.map((r) => r.producerId)).size).toBe(1);

    const byKey = new Map<string, Received[]>();
    for (const r of received) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
    expect(byKey.size).toBe(KEYS);
    for (let k = 0; k < KEYS; k++) {
      const rs = byKey.get(`key-${k}`)!;
      expect(new Set(rs.map((r) => r.partition)).size).toBe(1); // one key, one partition
      expect(rs.map((r) => r.value)).toEqual(Array.from({ length: TOTAL / KEYS }, (_, s) => `${k}:${s}`));
    }
  });

  it('transactions: a read_committed consumer sees committed messages only, never aborted ones', async () => {
    const topic = topicName('tx');
    await createTopic(topic, 1);
    const p = producer({ transactionalId: `smoke-tx-${run}`, idempotent: true, maxInFlightRequests: 1, retry: TX_RETRY });
    await p.connect();
    const values = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ key: prefix, value: `${prefix}-${i}` }));

    const first = await p.transaction();
    await first.send({ topic, messages: values('committed', 10) });
    await first.commit();

    const aborted = await p.transaction();
    await aborted.send({ topic, messages: values('aborted', 10) });
    await aborted.abort();

    const last = await p.transaction();
    await last.send({ topic, messages: values('later', 5) });
    await last.commit();

    // 10 records + marker, 10 aborted records + marker, 5 records + marker. commit() resolves once the
    // coordinator has logged the decision (kafkajs speaks EndTxn v1); the markers are written after
    // that, and admin.fetchTopicOffsets reports the last stable offset, so wait for it to move.
    await until('last stable offset of the tx topic reached 28', async () => (await endOffsets(topic))[0] >= 28);
    expect(await endOffsets(topic)).toEqual([28]);

    const committedView: Received[] = [];
    await collect(consumer(groupName('tx-committed'), { readUncommitted: false }), topic, committedView);
    const uncommittedView: Received[] = [];
    await collect(consumer(groupName('tx-uncommitted'), { readUncommitted: true }), topic, uncommittedView);

    // Within a partition delivery is in offset order, so once offset 26 (the last record) is seen, all is.
    await until('read_committed consumer reached offset 26', () => committedView.some((r) => r.offset === 26));
    await until('read_uncommitted consumer reached offset 26', () => uncommittedView.some((r) => r.offset === 26));

    expect(committedView.map((r) => r.offset)).toEqual([...Array.from({ length: 10 }, (_, i) => i), 22, 23, 24, 25, 26]);
    expect(committedView.map((r) => r.value)).toEqual([
      ...values('committed', 10).map((m) => m.value),
      ...values('later', 5).map((m) => m.value),
    ]);
    expect(committedView.every((r) => r.inTransaction)).toBe(true);

    // The aborted records were written (offsets 11–20) and only isolation hides them.
    expect(uncommittedView.map((r) => r.value)).toEqual([
      ...values('committed', 10).map((m) => m.value),
      ...values('aborted', 10).map((m) => m.value),
      ...values('later', 5).map((m) => m.value),
    ]);
    expect(uncommittedView.filter((r) => r.key === 'aborted').map((r) => r.offset)).toEqual(
      Array.from({ length: 10 }, (_, i) => 11 + i),
    );
  });

  it('consumer group: two members split 6 partitions; when one leaves the other takes all and nothing is lost', async () => {
    const topic = topicName('group');
    const groupId = groupName('group');
    await createTopic(topic, PARTITIONS);

    type Member = { name: string; consumer: Consumer; assignment: number[]; joins: number; received: Received[] };
    const since = (t0: number): string => `${Date.now() - t0} ms`;
    const start = async (name: string): Promise<Member> => {
      const m: Member = { name, consumer: consumer(groupId), assignment: [], joins: 0, received: [] };
      m.consumer.on(m.consumer.events.GROUP_JOIN, ({ payload }) => {
        m.joins++;
        timings.push(`group: member ${name} join #${m.joins} (JoinGroup+SyncGroup) took ${payload.duration} ms`);
        m.assignment = [...(payload.memberAssignment[topic] ?? [])].sort((a, b) => a - b);
      });
      await collect(m.consumer, topic, m.received);
      return m;
    };
    const p = producer({ idempotent: true, maxInFlightRequests: 1 });
    await p.connect();
    const produce = async (phase: string, n: number): Promise<string[]> => {
      const messages = Array.from({ length: n }, (_, i) => ({ partition: i % PARTITIONS, value: `${phase}-${i}` }));
      await p.send({ topic, messages });
      return messages.map((m) => m.value);
    };
    /** The coordinator's view: "Stable/2" etc. A member's rejoin can briefly reopen a rebalance. */
    const groupState = async (): Promise<string> => {
      const { groups } = await admin.describeGroups([groupId]);
      return `${groups[0].state}/${groups[0].members.length}`;
    };

    let t0 = Date.now();
    const a = await start('a');
    await until('member a owns all 6 partitions', () => a.assignment.length === PARTITIONS);
    timings.push(`group: first member start to owning 6 partitions: ${since(t0)}`);
    t0 = Date.now();
    const b = await start('b');
    await until(
      'members a and b own 3 partitions each, together all 6',
      () => a.assignment.length === 3 && b.assignment.length === 3 && [...a.assignment, ...b.assignment].sort().join() === ALL_PARTITIONS.join(),
    );
    timings.push(`group: second member start to a 3/3 split: ${since(t0)}`);
    await until('the coordinator reports the group Stable with 2 members', async () => (await groupState()) === 'Stable/2', 30_000);

    const sent = await produce('before', 60);
    await until('60 messages consumed by the two members', () => a.received.length + b.received.length >= 60);
    const split = { a: a.received.length, b: b.received.length, owners: `a=[${a.assignment}] b=[${b.assignment}]` };
    expect(split).toEqual({ a: 30, b: 30, owners: split.owners });
    expect(a.received.filter((r) => !a.assignment.includes(r.partition))).toEqual([]);
    expect(b.received.filter((r) => !b.assignment.includes(r.partition))).toEqual([]);

    // b leaves while messages keep coming; a must end up with every partition.
    const joinsBefore = a.joins;
    t0 = Date.now();
    const leaving = b.consumer.disconnect();
    sent.push(...(await produce('during', 60)));
    await leaving;
    await until('member a rejoined and owns all 6 partitions', () => a.joins > joinsBefore && a.assignment.length === PARTITIONS);
    timings.push(`group: b.disconnect() to a owning all 6 partitions: ${since(t0)}`);
    await until('the coordinator reports the group Stable with 1 member', async () => (await groupState()) === 'Stable/1', 30_000);

    sent.push(...(await produce('after', 60)));
    const all = (): Received[] => [...a.received, ...b.received];
    await until('all 180 messages consumed', () => new Set(all().map((r) => r.value)).size >= sent.length);
    await until('group offsets committed up to the end of every partition', async () => {
      const [{ partitions }] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const ends = await endOffsets(topic);
      return partitions.every((q) => Number(q.offset) === ends[q.partition]);
    });

    expect(sent).toHaveLength(180);
    const delivered = all().map((r) => r.value);
    const seen = new Set<string>();
    const duplicates = delivered.filter((v) => (seen.has(v) ? true : (seen.add(v), false)));
    expect({ lost: sent.filter((v) => !seen.has(v)), duplicates }).toEqual({ lost: [], duplicates: [] });
    expect(delivered).toHaveLength(180);
  });

  it('consume-transform-produce: output and consumer offsets commit atomically (sendOffsets in a transaction)', async () => {
    const input = topicName('ctp-in');
    const output = topicName('ctp-out');
    const groupId = groupName('ctp');
    await createTopic(input, 1);
    await createTopic(output, 1);

    const source = producer({ idempotent: true, maxInFlightRequests: 1 });
    await source.connect();
    await source.send({ topic: input, messages: Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })) });

    const tx = producer({ transactionalId: `smoke-ctp-${run}`, idempotent: true, maxInFlightRequests: 1, retry: TX_RETRY });
    await tx.connect();
    const processor = consumer(groupId, { readUncommitted: false });
    let failedOnce = false;
    const outputView: Received[] = [];
    await processor.connect();
    await processor.subscribe({ topics: [input], fromBeginning: true });
    const t0 = Date.now();
    await processor.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        const t = await tx.transaction();
        await t.send({ topic: output, messages: [{ key: message.key, value: message.value!.toString().toUpperCase() }] });
        if (message.offset === '7' && !failedOnce) {
          // A failure after producing: the transaction is aborted, the message is redelivered.
          failedOnce = true;
          await t.abort();
          throw new Error('simulated failure processing offset 7');
        }
        await t.sendOffsets({
          consumerGroupId: groupId,
          topics: [{ topic, partitions: [{ partition, offset: String(Number(message.offset) + 1) }] }],
        });
        await t.commit();
      },
    });
    await until(
      'group offset 20 committed through the transaction',
      async () => Number((await admin.fetchOffsets({ groupId, topics: [input] }))[0].partitions[0].offset) === 20,
      20_000,
    );
    timings.push(`consume-transform-produce: 20 messages, 21 transactions (one aborted) incl. join: ${Date.now() - t0} ms`);
    await processor.disconnect();

    await collect(consumer(groupName('ctp-check'), { readUncommitted: false }), output, outputView);
    // 21 records (one in the aborted transaction) and 21 markers; the last marker may still be on its way.
    await until('last stable offset of the output reached 42', async () => (await endOffsets(output))[0] >= 42);
    const outputEnd = (await endOffsets(output))[0];
    expect(outputEnd).toBe(42);
    await until('read_committed view of the output reached its last record', () => outputView.some((r) => r.offset === outputEnd - 2));
    expect(failedOnce).toBe(true);
    expect(outputView.map((r) => r.value)).toEqual(Array.from({ length: 20 }, (_, i) => `V${i}`));
  });
});
