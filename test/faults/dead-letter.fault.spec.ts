// Issue 9: a consumer's handler throwing on one message. The message reaches the dead-letter topic
// with the error, and the others flow. The poison is what a faulty producer could send: a PlanIssued
// envelope, well formed, whose plan has no task list — the fan-out throws on it every time.
import { randomUUID } from 'node:crypto';
import { deadLetterTopic, EventEnvelope, HEADERS, inNamespace, TOPICS } from '@thihanh/contracts';
import { eventually } from '@thihanh/fixtures';
import { describeWithKafka, kafkaBrokers } from '@thihanh/testing';
import { Kafka, logLevel } from 'kafkajs';
import { awaitCases, issueBacNinh } from './acknowledgements';
import { bearer, Cluster, issueSeedPlan } from './cluster';
import { messagesOnTopic } from './load';

describeWithKafka('a consumer whose handler throws on one message', () => {
  const cluster = new Cluster({ services: ['plan-registry', 'task-assignment', 'reporting'], basePort: 24400, brokers: kafkaBrokers()!.join(',') });

  beforeAll(() => cluster.start(), 300_000);
  afterAll(() => cluster.stop(), 60_000);

  it('sends that message to the dead-letter topic with the error, and lets the messages before and after it through', async () => {
    const brokers = kafkaBrokers()!;
    const planTopic = inNamespace(TOPICS.planRegistryEvents, cluster.namespace);
    await issueBacNinh(cluster);

    // The poison: Bắc Ninh's PlanIssued as published, under a new event id and plan, without its tasks.
    const issued = (await messagesOnTopic(brokers, planTopic)).find((m) => m.headers[HEADERS.eventType] === 'PlanIssued')!;
    const envelope = JSON.parse(issued.value) as EventEnvelope<{ planId: string; content: Record<string, unknown> }>;
    const poisonPlanId = randomUUID();
    const poison: EventEnvelope = {
      ...envelope,
      eventId: randomUUID(),
      streamId: `plan-${poisonPlanId}`,
      data: { ...envelope.data, planId: poisonPlanId, content: { ...envelope.data.content, tasks: 'none' } },
    };
    const kafka = new Kafka({ brokers, clientId: 'fault-poison', logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    const sent = await producer.send({
      topic: planTopic,
      messages: [{ key: poison.streamId, value: JSON.stringify(poison), headers: { ...issued.headers, [HEADERS.eventId]: poison.eventId, [HEADERS.streamId]: poison.streamId } }],
    });
    await producer.disconnect();

    // A good message after it: the Sơn La plan, 1,251 cases more, in task-assignment and in reporting.
    await issueSeedPlan(cluster.get('plan-registry'), 'son-la-plan.txt', '215/KH-UBND', bearer('son-la.ubnd-tinh', 'operator'));
    await awaitCases(cluster, 632 + 1251);

    // Task-assignment's consumer of plan events dead-lettered the poison, once, with why and where it came from.
    const dlq = deadLetterTopic('task-assignment', cluster.namespace);
    const dead = await eventually(() => messagesOnTopic(brokers, dlq).catch(() => []), (m) => m.length > 0, `a message on ${dlq}`);
    expect(dead).toHaveLength(1);
    expect(dead[0].headers).toMatchObject({
      [HEADERS.eventId]: poison.eventId,
      [HEADERS.originalTopic]: planTopic,
      [HEADERS.originalPartition]: String(sent[0].partition),
      [HEADERS.originalOffset]: sent[0].baseOffset,
      [HEADERS.consumerGroup]: 'task-assignment',
      [HEADERS.attempts]: '5',
    });
    expect(dead[0].headers[HEADERS.error]).toMatch(/\S/);
    expect(JSON.parse(dead[0].value)).toEqual(poison);
    // Nothing of it was applied in task-assignment: no inbox row, no case.
    const inbox = await cluster.sql('task-assignment', async (c) => (await c.query(`SELECT consumer FROM msg_inbox WHERE event_id = $1`, [poison.eventId])).rows);
    expect(inbox).toEqual([]);
    const cases = await cluster.sql('task-assignment', async (c) => (await c.query(`SELECT count(*)::int AS n FROM assignment_cases WHERE plan_id = $1`, [poisonPlanId])).rows[0].n);
    expect(cases).toBe(0);
    await cluster.get('task-assignment').healthy();
    process.stdout.write(`[faults] dead letter: ${dead.length} message on ${dlq} (${dead[0].headers[HEADERS.error].slice(0, 120)}); 1,883 good cases opened around it\n`);
  }, 300_000);
});
