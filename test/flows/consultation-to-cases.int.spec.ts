import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { INestApplication } from '@nestjs/common';
import { issueToken, Role } from '@thihanh/auth';
import { ManualClock } from '@thihanh/domain';
import { PgDatabase, PostgresEventStore, ProjectionRunner } from '@thihanh/event-store';
import { BackgroundWorkers, loadConfig, migrateSchema, schemaDatabase } from '@thihanh/platform';
import { createTestDatabase, describeWithKafka, dropTestDatabase, kafkaBrokers, TestDatabase } from '@thihanh/testing';
import { eventually, startTestApp } from '@thihanh/fixtures';
import request from 'supertest';
import { AppModule as DecreeConsultation } from '../../services/decree-consultation/src/app.module';
import { DecreeConsultationConfig } from '../../services/decree-consultation/src/config';
import { AppModule as PlanRegistry } from '../../services/plan-registry/src/app.module';
import { PlanRegistryConfig } from '../../services/plan-registry/src/config';
import { AppModule as TaskAssignment } from '../../services/task-assignment/src/app.module';
import { caseBoardProjection } from '../../services/task-assignment/src/case-board/case-board.projection';
import { TaskAssignmentConfig } from '../../services/task-assignment/src/config';
import { AssignmentCases1764300000000 } from '../../services/task-assignment/src/migrations/1764300000000-assignment-cases';

const SECRET = '0123456789abcdef0123456789abcdef';
const token = (agencyId: string, ...roles: Role[]) =>
  `Bearer ${issueToken([{ kid: 'test', secret: SECRET }], { agencyId, clientId: `${agencyId}-client`, roles, ttlSeconds: 900 })}`;



const until = <T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, what: string) => eventually(probe, done, what, timeoutMs);

describeWithKafka('a consultation’s deadline and response reach the plan’s cases, over the real broker', () => {
  const databases: TestDatabase[] = [];
  let registry: INestApplication;
  let consultations: INestApplication;
  let cases: INestApplication;
  let planId: string;
  const namespace = `flow-${Date.now().toString(36)}`;

  beforeAll(async () => {
    for (let i = 0; i < 3; i += 1) databases.push(await createTestDatabase([]));
    for (const db of databases) await db.dataSource.destroy();
    // Topics of its own: other tests' services on the shared broker neither hear these nor are heard.
    const common = { KAFKA_BROKERS: kafkaBrokers()!.join(','), KAFKA_TOPIC_NAMESPACE: namespace, THIHANH_AUTH_KEYS: `test:${SECRET}`, LOG_LEVEL: 'warn', SCHEDULER_INTERVAL_MS: '0' };
    // Groups of their own, reading their topics from the beginning: the topics are this test's alone,
    // and a group starting "from now" can miss what is published before its first fetch.
    const own = (db: TestDatabase, service: string) => ({ DATABASE_URL: db.url, KAFKA_CONSUMER_GROUP: `${service}-${db.name}`, KAFKA_CONSUMER_FROM_BEGINNING: 'true' });
    const clock = new ManualClock('2026-05-26T02:00:00.000Z'); // 26 May 2026 in Vietnam
    registry = await startTestApp(PlanRegistry.forRoot(loadConfig(PlanRegistryConfig, { ...common, DATABASE_URL: databases[0].url })));
    consultations = await startTestApp(DecreeConsultation.forRoot(loadConfig(DecreeConsultationConfig, { ...common, ...own(databases[1], 'decree-consultation') }), { clock }));
    cases = await startTestApp(TaskAssignment.forRoot(loadConfig(TaskAssignmentConfig, { ...common, ...own(databases[2], 'task-assignment') }), { clock }));
    await consultations.get(BackgroundWorkers).consumer(`decree-consultation-${databases[1].name}`).ready;
    await cases.get(BackgroundWorkers).consumer(`task-assignment-${databases[2].name}`).ready;
    await cases.get(BackgroundWorkers).consumer(`task-assignment-${databases[2].name}.consultations`).ready;
  }, 120_000);

  afterAll(async () => {
    await cases?.close();
    await consultations?.close();
    await registry?.close();
    for (const db of databases) await dropTestDatabase(db);
  });

  it('sets the due date of the dependent cases from the ministry’s request, and fulfils the lead’s case with the submitted response', async () => {
    const operator = token('son-la.ubnd-tinh', 'operator');
    const police = token('son-la.cong-an-tinh', 'coordinator');
    const auditor = token('national.thanh-tra-chinh-phu', 'auditor');
    const plan = readFileSync(path.join(__dirname, '../fixtures/plans/son-la-plan.txt'));
    const imported = await request(registry.getHttpServer()).post('/plans/import').set('Authorization', operator).attach('file', plan, 'son-la-plan.txt').expect(201);
    planId = imported.body.planId;
    await request(registry.getHttpServer()).post(`/plans/${planId}/issue`).set('Authorization', operator).send({ number: '215/KH-UBND', issuedOn: '2026-04-20' }).expect(200);

    const opened = await until(
      async () => (await request(consultations.getHttpServer()).get('/consultations').query({ planId }).set('Authorization', police)).body.items ?? [],
      (items) => items.length === 10,
      60_000,
      'ten consultations',
    );
    const consultation = opened.find((c: { taskNumber: string }) => c.taskNumber === '4.a');
    const taskCases = async (taskNumber: string) =>
      ((await request(cases.getHttpServer()).get('/cases').query({ planId, limit: 500 }).set('Authorization', auditor)).body.items ?? []).filter(
        (c: { taskNumber: string }) => c.taskNumber === taskNumber,
      ) as { assignmentId: string; agencyId: string; status: string; dueBefore: string | null }[];
    await until(() => taskCases('4.a'), (items) => items.length === 90, 60_000, 'the 90 cases of task 4.a');
    expect((await taskCases('4.a')).every((c) => c.status === 'waiting' && c.dueBefore === null)).toBe(true);

    // The ministry's request fixes the deadline: every case of task 4.a opens with it as due date.
    const url = `/consultations/${consultation.consultationId}`;
    await request(consultations.getHttpServer()).post(`${url}/deadline`).set('Authorization', police)
      .send({ deadline: '2026-06-15', source: 'ministry-request', request: { number: '1520/BCA-A05', date: '2026-05-25', ministry: 'Bộ Công an' } }).expect(200);
    const due = await until(() => taskCases('4.a'), (items) => items.every((c) => c.status === 'assigned' && c.dueBefore === '2026-06-15'), 30_000, 'due dates on 4.a');
    expect(due).toHaveLength(90);
    expect((await taskCases('4.b')).every((c) => c.status === 'waiting')).toBe(true); // another draft's cases wait on

    // The response is written and submitted: the lead's case is fulfilled with it as the deliverable.
    await request(consultations.getHttpServer()).put(`${url}/response`).set('Authorization', police).send({
      issuer: 'CÔNG AN TỈNH SƠN LA', parentAuthority: 'BỘ CÔNG AN', symbol: 'CAT-ANM', place: 'Sơn La',
      summary: 'V/v góp ý dự thảo Nghị định quy định chi tiết một số điều của Luật An ninh mạng', addressees: ['Bộ Công an'],
      body: 'Công an tỉnh Sơn La thống nhất với dự thảo.', recipients: ['Như trên', 'Lưu: VT, ANM'], signer: { title: 'GIÁM ĐỐC', name: 'Nguyễn Văn An' },
    }).expect(200);
    const submitted = await request(consultations.getHttpServer()).post(`${url}/response/submit`).set('Authorization', police).send({ number: '125/CAT-ANM', date: '2026-06-12' }).expect(200);
    const lead = await until(
      async () => (await taskCases('4.a')).find((c) => c.agencyId === 'son-la.cong-an-tinh')!,
      (c) => c.status === 'accepted',
      30_000,
      'the lead’s case accepted',
    );
    const history = (await request(cases.getHttpServer()).get(`/cases/${lead.assignmentId}`).set('Authorization', police).expect(200)).body.history;
    const deliverable = history.find((e: { type: string }) => e.type === 'AssignmentDeliverableSubmitted');
    expect(deliverable.data).toMatchObject({
      deliverableId: `consultation-${consultation.consultationId}`, documentNumber: '125/CAT-ANM', documentDate: '2026-06-12',
      file: { sha256: submitted.body.sha256 },
    });
    expect(deliverable.actor).toEqual({ agencyId: 'system', clientId: 'system' });
    // Coordinators' cases are theirs to finish.
    expect((await taskCases('4.a')).filter((c) => c.status === 'accepted')).toHaveLength(1);
  });

  it('gives an auditor a copy of every log from Kafka alone, verified, whose read model equals the live one', async () => {
    // The relays publish after the commands commit, and the replay below reads Kafka alone (holding
    // this process still): first wait until each service's relay has published its whole log.
    for (const live of databases.slice(0, 3)) {
      const db = PgDatabase.fromUrl(live.url, { max: 1 });
      await eventually(
        async () => (await db.query<{ behind: number }>(
          `SELECT count(*)::int AS behind FROM es_events e
            WHERE NOT EXISTS (SELECT 1 FROM es_checkpoints c WHERE c.name LIKE 'relay:%'
                                AND (e.transaction_id, e.global_position) <= (c.transaction_id, c.global_position))`,
        )).rows[0].behind,
        (behind) => behind === 0,
        `the relay of ${live.name} to publish its whole log`,
        30_000,
      );
      await db.close();
    }
    const copy = await createTestDatabase([]);
    await copy.dataSource.destroy();
    databases.push(copy);
    const command = spawnSync('npm', ['run', '--silent', 'thihanh', '--', 'audit', 'replay', '--from-kafka', kafkaBrokers()!.join(','), '--to', copy.url, '--namespace', namespace], {
      encoding: 'utf8',
      env: process.env,
    });
    expect(command.stderr).toBe('');
    expect(command.status).toBe(0);
    expect(command.stdout).toMatch(
      /^replayed \d+ events from 3 topics in [\d.]+ s \(\d+ events\/s\)\n {2}decree-consultation: 14 events in 10 streams, every chain verified\n {2}plan-registry: \d+ events in 2 streams, every chain verified\n {2}task-assignment: \d+ events in 1251 streams, every chain verified\n$/,
    );
    // Every event of this test's services is in the copy, with the hash it was written with.
    for (const [live, schema] of [[databases[0], 'plan_registry'], [databases[1], 'decree_consultation'], [databases[2], 'task_assignment']] as const) {
      const source = PgDatabase.fromUrl(live.url, { max: 1 });
      const target = schemaDatabase(copy.url, schema, 1);
      const { rows: written } = await source.query<{ event_id: string; hash: string }>(`SELECT event_id::text, encode(hash, 'hex') AS hash FROM es_events ORDER BY event_id`);
      const { rows: copied } = await target.query<{ event_id: string; hash: string }>(
        `SELECT event_id::text, encode(hash, 'hex') AS hash FROM es_events WHERE event_id = ANY ($1::uuid[]) ORDER BY event_id`,
        [written.map((r) => r.event_id)],
      );
      expect(copied).toEqual(written);
      await source.close();
      await target.close();
    }
    // The case board, rebuilt from the copy, is the live one, row for row.
    await migrateSchema(copy.url, 'task_assignment', [AssignmentCases1764300000000]);
    const replica = schemaDatabase(copy.url, 'task_assignment', 2);
    await new ProjectionRunner(new PostgresEventStore(replica), caseBoardProjection).rebuild();
    await cases.get(BackgroundWorkers).projection('case-board').catchUp();
    const live = PgDatabase.fromUrl(databases[2].url, { max: 1 });
    const board = `SELECT * FROM assignment_cases WHERE plan_id = $1 ORDER BY assignment_id`;
    const liveRows = (await live.query(board, [planId])).rows;
    expect(liveRows).toHaveLength(1251);
    expect((await replica.query(board, [planId])).rows).toEqual(liveRows);
    await live.close();
    await replica.close();
  });
});
