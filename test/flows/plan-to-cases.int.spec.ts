import { readFileSync } from 'node:fs';
import path from 'node:path';
import { INestApplication } from '@nestjs/common';
import { issueToken, Role } from '@thihanh/auth';
import { inNamespace, TOPICS } from '@thihanh/contracts';
import { ManualClock } from '@thihanh/domain';
import { PgDatabase, PostgresEventStore } from '@thihanh/event-store';
import { KafkaMessageBus, toMessage } from '@thihanh/messaging';
import { BackgroundWorkers, loadConfig } from '@thihanh/platform';
import { createTestDatabase, describeWithKafka, dropTestDatabase, kafkaBrokers, TestDatabase } from '@thihanh/testing';
import { eventually, startTestApp } from '@thihanh/fixtures';
import request from 'supertest';
import { AppModule as PlanRegistry } from '../../services/plan-registry/src/app.module';
import { PlanRegistryConfig } from '../../services/plan-registry/src/config';
import { AppModule as TaskAssignment } from '../../services/task-assignment/src/app.module';
import { TaskAssignmentConfig } from '../../services/task-assignment/src/config';

const SECRET = '0123456789abcdef0123456789abcdef';
const token = (agencyId: string, ...roles: Role[]) =>
  `Bearer ${issueToken([{ kid: 'test', secret: SECRET }], { agencyId, clientId: `${agencyId}-client`, roles, ttlSeconds: 900 })}`;



const until = <T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, what: string) => eventually(probe, done, what, timeoutMs);

describeWithKafka('a plan issued in the plan registry becomes cases in task assignment, over the real broker', () => {
  const databases: TestDatabase[] = [];
  let registry: INestApplication;
  let assignment: INestApplication;
  let assignmentDb: TestDatabase;
  const namespace = `plan-cases-${Date.now().toString(36)}`;

  beforeAll(async () => {
    const [registryDb, casesDb] = [await createTestDatabase([]), await createTestDatabase([])];
    databases.push(registryDb, casesDb);
    assignmentDb = casesDb;
    for (const db of databases) await db.dataSource.destroy();
    // Topics of its own: other tests' plans on the shared broker neither reach these services nor load them.
    const common = { KAFKA_BROKERS: kafkaBrokers()!.join(','), KAFKA_TOPIC_NAMESPACE: namespace, THIHANH_AUTH_KEYS: `test:${SECRET}`, LOG_LEVEL: 'warn' };
    registry = await startTestApp(PlanRegistry.forRoot(loadConfig(PlanRegistryConfig, { ...common, DATABASE_URL: registryDb.url })));
    assignment = await startTestApp(
      TaskAssignment.forRoot(
        // A group of its own, from the beginning of topics that are this test's alone.
        loadConfig(TaskAssignmentConfig, {
          ...common,
          DATABASE_URL: casesDb.url,
          KAFKA_CONSUMER_GROUP: `task-assignment-${casesDb.name}`,
          KAFKA_CONSUMER_FROM_BEGINNING: 'true',
        }),
        { clock: new ManualClock('2026-05-01T02:00:00.000Z') }, // 1 May 2026 in Vietnam: nothing due yet
      ),
    );
    await assignment.get(BackgroundWorkers).consumer(`task-assignment-${casesDb.name}`).ready;
  }, 120_000);

  afterAll(async () => {
    await assignment?.close();
    await registry?.close();
    for (const db of databases) await dropTestDatabase(db);
  });

  it('opens the 1,251 cases of the Sơn La plan once, even when PlanIssued is delivered again, and shows each agency only its own', async () => {
    const operator = token('son-la.ubnd-tinh', 'operator');
    const plan = readFileSync(path.join(__dirname, '../fixtures/plans/son-la-plan.txt'));
    const imported = await request(registry.getHttpServer()).post('/plans/import').set('Authorization', operator).attach('file', plan, 'son-la-plan.txt').expect(201);
    const planId = imported.body.planId;
    await request(registry.getHttpServer()).post(`/plans/${planId}/issue`).set('Authorization', operator).send({ number: '215/KH-UBND', issuedOn: '2026-04-20' }).expect(200);

    const police = token('son-la.cong-an-tinh', 'coordinator');
    const board = await until(
      async () => (await request(assignment.getHttpServer()).get(`/plans/${planId}/board`).set('Authorization', police)).body,
      (b) => b.cases === 1251,
      60_000,
      '1,251 cases on the board',
    );
    expect(board.tasks).toHaveLength(14);
    // Waiting: task 2 until the Ministry's training (gated, 90 cases), tasks 4.a–4.i and 5 until the
    // drafts' schedules fix their due dates (dependent, 10 × 90). Open: tasks 1 (80), 3 (91) and 6 (90).
    expect(board.totals).toEqual({ waiting: 90 + 10 * 90, assigned: 80 + 91 + 90 });

    // The same PlanIssued again, as Kafka may redeliver it: nothing changes.
    const storeDb = PgDatabase.fromUrl(databases[0].url, { max: 2 });
    const [issued] = (await new PostgresEventStore(storeDb).readStream(`plan-${planId}`)).filter((e) => e.type === 'PlanIssued');
    await storeDb.close();
    const bus = new KafkaMessageBus({ brokers: kafkaBrokers()!, clientId: 'redeliver' });
    const producer = await bus.createProducer();
    await producer.publish(inNamespace(TOPICS.planRegistryEvents, namespace), [toMessage(issued, 'plan-registry')]);
    await producer.close();
    await bus.close();
    const caseDb = PgDatabase.fromUrl(assignmentDb.url, { max: 2 });
    await until(
      async () => (await caseDb.query<{ n: string }>(`SELECT count(*) AS n FROM msg_inbox WHERE event_id = $1`, [issued.eventId])).rows[0].n,
      (n) => n === '1',
      30_000,
      'the first delivery recorded',
    );
    const consumer = assignment.get(BackgroundWorkers).consumer(`task-assignment-${assignmentDb.name}`);
    await until(async () => consumer.duplicates, (n) => n >= 1, 30_000, 'the redelivery recognised by the inbox');
    const counts = await caseDb.query<{ streams: string; opened: string }>(
      `SELECT count(DISTINCT stream_id) AS streams, count(*) FILTER (WHERE event_type = 'AssignmentOpened') AS opened
         FROM es_events WHERE data->>'planId' = $1`,
      [planId],
    );
    await caseDb.close();
    expect(counts.rows[0]).toEqual({ streams: '1251', opened: '1251' });

    const justice = token('son-la.so-tu-phap', 'member');
    const own = await request(assignment.getHttpServer()).get('/cases').query({ planId }).set('Authorization', justice).expect(200);
    expect(own.body.items).toHaveLength(14); // one case in each of the 14 leaf tasks
    expect(own.body.items.every((c: { agencyId: string }) => c.agencyId === 'son-la.so-tu-phap')).toBe(true);
    // Task 1: the police lead, the Department of Justice only coordinates — it does not see the lead's case.
    const policeCases = (await request(assignment.getHttpServer()).get('/cases').query({ planId }).set('Authorization', police).expect(200)).body.items;
    const policeCase = policeCases.find((c: { taskNumber: string }) => c.taskNumber === '1');
    await request(assignment.getHttpServer()).get(`/cases/${policeCase.assignmentId}`).set('Authorization', justice).expect(404);
    await request(assignment.getHttpServer()).get('/cases').query({ agencyId: 'son-la.cong-an-tinh' }).set('Authorization', justice).expect(403);
    const ledBoard = await request(assignment.getHttpServer()).get(`/plans/${planId}/board`).set('Authorization', justice).expect(200);
    expect(ledBoard.body.tasks.map((t: { taskNumber: string }) => t.taskNumber)).toEqual(['3']); // it co-leads task 3 only
    const press = token('son-la.bao-va-phat-thanh-truyen-hinh', 'coordinator');
    await request(assignment.getHttpServer()).get(`/plans/${planId}/board`).set('Authorization', press).expect(404);
    const auditor = token('national.thanh-tra-chinh-phu', 'auditor');
    const seen = await request(assignment.getHttpServer()).get(`/cases/${policeCase.assignmentId}`).set('Authorization', auditor).expect(200);
    expect(seen.body.history[0]).toMatchObject({ type: 'AssignmentOpened', actor: { agencyId: 'system' }, causationId: issued.eventId });
  });
});
