import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { INestApplication } from '@nestjs/common';
import { issueToken, Role } from '@thihanh/auth';
import { TOPICS } from '@thihanh/contracts';
import { ManualClock } from '@thihanh/domain';
import { PgDatabase, sealAll } from '@thihanh/event-store';
import { eventually, issuedSeed, startTestApp } from '@thihanh/fixtures';
import { InProcessMessageBus, toMessage } from '@thihanh/messaging';
import { BackgroundWorkers, loadConfig } from '@thihanh/platform';
import { aMetadata, anEnvelope, createTestDatabase, describeWithPostgres, dropTestDatabase, TestDatabase } from '@thihanh/testing';
import request from 'supertest';
import { AppModule as DecreeConsultation } from '../../services/decree-consultation/src/app.module';
import { DecreeConsultationConfig } from '../../services/decree-consultation/src/config';
import { AppModule as TaskAssignment } from '../../services/task-assignment/src/app.module';
import { TaskAssignmentConfig } from '../../services/task-assignment/src/config';

const SECRET = '0123456789abcdef0123456789abcdef';
const token = (agencyId: string, ...roles: Role[]) =>
  `Bearer ${issueToken([{ kid: 't', secret: SECRET }], { agencyId, clientId: `${agencyId}-client`, roles, ttlSeconds: 3600 })}`;
const POLICE = token('son-la.cong-an-tinh', 'coordinator');
const JUSTICE = token('son-la.so-tu-phap', 'member');
const AUDITOR = token('national.thanh-tra-chinh-phu', 'auditor');
const PLAN_ID = '0190a1b2-0000-7000-8000-0000000000c7';



const pause = () => new Promise((resolve) => setTimeout(resolve, 20));

describeWithPostgres('auditors: one request followed across services, states as of an instant, verification and replay', () => {
  const databases: TestDatabase[] = [];
  const clock = new ManualClock('2026-05-26T02:00:00.000Z');
  const bus = new InProcessMessageBus();
  let cases: INestApplication;
  let consultations: INestApplication;
  let consultationUrl: string;
  let consultationId: string;

  beforeAll(async () => {
    for (let i = 0; i < 2; i += 1) databases.push(await createTestDatabase([]));
    for (const db of databases) await db.dataSource.destroy();
    const common = { THIHANH_AUTH_KEYS: `t:${SECRET}`, LOG_LEVEL: 'warn', SCHEDULER_INTERVAL_MS: '0' };
    cases = await startTestApp(TaskAssignment.forRoot(loadConfig(TaskAssignmentConfig, { ...common, DATABASE_URL: databases[0].url }), { bus, clock }));
    consultations = await startTestApp(DecreeConsultation.forRoot(loadConfig(DecreeConsultationConfig, { ...common, DATABASE_URL: databases[1].url }), { bus, clock }));
    const issued = anEnvelope({ type: 'PlanIssued', streamId: `plan-${PLAN_ID}`, data: { planId: PLAN_ID, planVersion: 1, content: issuedSeed('son-la-plan.txt') }, metadata: aMetadata(), source: 'plan-registry' });
    await (await bus.createProducer()).publish(TOPICS.planRegistryEvents, [toMessage(issued, 'plan-registry')]);
    const items = await eventually(
      async () => (await request(consultations.getHttpServer()).get('/consultations').set('Authorization', POLICE)).body.items ?? [],
      (list) => list.length === 10,
      'ten consultations',
    );
    consultationId = items.find((c: { taskNumber: string }) => c.taskNumber === '4.a').consultationId;
    consultationUrl = `/consultations/${consultationId}`;
    await eventually(async () => (await request(cases.getHttpServer()).get('/cases').query({ limit: 500 }).set('Authorization', AUDITOR)).body.items?.length ?? 0, (n) => n === 500, 'the cases');
  }, 120_000);

  afterAll(async () => {
    await consultations?.close();
    await cases?.close();
    for (const db of databases) await dropTestDatabase(db);
  });

  it('follows one request by its correlation id from the consultation to the cases it changed, cause by cause', async () => {
    const correlationId = 'inspection-2026-001';
    await request(consultations.getHttpServer()).post(`${consultationUrl}/deadline`).set('Authorization', POLICE).set('X-Correlation-Id', correlationId)
      .send({ deadline: '2026-06-15', source: 'ministry-request' }).expect(200);
    const here = (await request(consultations.getHttpServer()).get('/audit/events').query({ correlationId }).set('Authorization', AUDITOR).expect(200)).body.items;
    expect(here.map((e: { type: string }) => e.type)).toEqual(['ConsultationDeadlineSet']);
    expect(here[0]).toMatchObject({ actor: { agencyId: 'son-la.cong-an-tinh', roles: ['coordinator'] }, correlationId, streamId: `consultation-${consultationId}` });
    // The same request, in the other service: the 90 cases of task 4.a took the deadline.
    const there = await eventually(
      async () => (await request(cases.getHttpServer()).get('/audit/events').query({ correlationId, limit: 1000 }).set('Authorization', AUDITOR).expect(200)).body.items,
      (items) => items.length === 90,
      'the due dates set across the broker',
    );
    expect(new Set(there.map((e: { type: string }) => e.type))).toEqual(new Set(['AssignmentDueDateSet']));
    const causes = (await request(cases.getHttpServer()).get(`/audit/events/${there[0].eventId}/causes`).set('Authorization', AUDITOR).expect(200)).body;
    expect(causes.chain.map((e: { type: string }) => e.type)).toEqual(['AssignmentDueDateSet']);
    expect(causes.continuesAt).toBe(here[0].eventId); // the consultation's event, in the other service
    const upstream = (await request(consultations.getHttpServer()).get(`/audit/events/${causes.continuesAt}/causes`).set('Authorization', AUDITOR).expect(200)).body;
    expect(upstream.chain.map((e: { type: string }) => e.type)).toEqual(['ConsultationDeadlineSet']);
    expect(upstream.continuesAt).toBe(correlationId); // the request itself
    const byAgency = (await request(consultations.getHttpServer()).get('/audit/events').query({ agencyId: 'son-la.cong-an-tinh', type: 'ConsultationDeadlineSet,ConsultationOpened' }).set('Authorization', AUDITOR).expect(200)).body.items;
    expect(byAgency.map((e: { type: string }) => e.type)).toEqual(['ConsultationDeadlineSet']);
    await request(consultations.getHttpServer()).get('/audit/events').set('Authorization', JUSTICE).expect(403);
    await request(consultations.getHttpServer()).get('/audit/events').query({ from: 'yesterday' }).set('Authorization', AUDITOR).expect(400);
  });

  it('shows a consultation as it was at an instant or a version, and what changed between two instants', async () => {
    await pause();
    const before = new Date().toISOString();
    await pause();
    await request(consultations.getHttpServer()).post(`${consultationUrl}/comments`).set('Authorization', JUSTICE).send({ text: 'Đề nghị làm rõ phạm vi.' }).expect(201);
    await pause();
    const after = new Date().toISOString();
    const then = (await request(consultations.getHttpServer()).get(`/audit/aggregates/consultation/${consultationId}`).query({ asOf: before }).set('Authorization', AUDITOR).expect(200)).body;
    const now = (await request(consultations.getHttpServer()).get(`/audit/aggregates/consultation/${consultationId}`).query({ asOf: after }).set('Authorization', AUDITOR).expect(200)).body;
    expect(then.state).toMatchObject({ status: 'open', deadline: '2026-06-15', comments: {} });
    expect(then.state).not.toHaveProperty('parsed');
    expect(Object.values(now.state.comments)).toEqual([expect.objectContaining({ agencyId: 'son-la.so-tu-phap', text: 'Đề nghị làm rõ phạm vi.' })]);
    const first = (await request(consultations.getHttpServer()).get(`/audit/aggregates/consultation/${consultationId}`).query({ version: 1 }).set('Authorization', AUDITOR).expect(200)).body;
    expect(first).toMatchObject({ version: 1, state: { deadline: null, status: 'open' } });
    const diff = (await request(consultations.getHttpServer()).get(`/audit/aggregates/consultation/${consultationId}/diff`).query({ from: before, to: after }).set('Authorization', AUDITOR).expect(200)).body;
    expect(diff.to.version).toBe(diff.from.version + 1);
    expect(diff.changes).toHaveLength(1);
    expect(diff.changes[0]).toMatchObject({ before: null, after: expect.objectContaining({ text: 'Đề nghị làm rõ phạm vi.' }) });
    expect(diff.changes[0].path).toMatch(/^comments\./);
    await request(consultations.getHttpServer()).get(`/audit/aggregates/nothing/${consultationId}`).set('Authorization', AUDITOR).expect(404);
  });

  it('exports everything about the plan as a bundle that verifies offline, and names each break in it', async () => {
    for (const db of databases) {
      const log = PgDatabase.fromUrl(db.url, { max: 2 });
      await sealAll(log);
      await log.close();
    }
    const urls: string[] = [];
    for (const app of [cases, consultations]) {
      await app.listen(0, '127.0.0.1');
      urls.push(`http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`);
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'thihanh-bundle-'));
    const auditorToken = issueToken([{ kid: 't', secret: SECRET }], { agencyId: 'national.thanh-tra-chinh-phu', clientId: 'inspector', roles: ['auditor'], ttlSeconds: 600 });
    // Asynchronously: the services answering the command live in this process.
    const cli = (...args: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn('npm', ['run', '--silent', 'thihanh', '--', 'audit', ...args], { env: { ...process.env, THIHANH_TOKEN: auditorToken } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk) => (stdout += chunk));
        child.stderr.on('data', (chunk) => (stderr += chunk));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
    const exported = await cli('bundle', '--plan', PLAN_ID, '--service', `task-assignment=${urls[0]}`, '--service', `decree-consultation=${urls[1]}`, '--out', dir);
    expect(exported.stderr).toBe('');
    expect(exported.stdout).toMatch(new RegExp(`^bundle of plan ${PLAN_ID} written to .*\\n  task-assignment: \\d+ events in 1251 streams, anchored to [1-9]\\d* seals\\n  decree-consultation: \\d+ events in 10 streams, anchored to [1-9]\\d* seals\\n$`));
    const verified = await cli('verify', dir);
    expect(verified.status).toBe(0);
    expect(verified.stdout).toMatch(/^bundle verified: \d+ events in 1261 streams, \d+ seals, 0 events not sealed yet\n$/);

    // Someone rewrites a comment in the bundle: the file no longer matches the manifest, and the event its hash.
    const eventsFile = path.join(dir, 'events.jsonl');
    const lines = readFileSync(eventsFile, 'utf8').split('\n');
    const index = lines.findIndex((line) => line.includes('Đề nghị làm rõ phạm vi.'));
    writeFileSync(eventsFile, lines.map((line, i) => (i === index ? line.replace('phạm vi', 'thời hạn') : line)).join('\n'));
    const altered = await cli('verify', dir);
    expect(altered.status).toBe(1);
    expect(altered.stderr).toContain('BUNDLE BROKEN');
    expect(altered.stderr).toMatch(/events\.jsonl: SHA-256 [0-9a-f]{64} is not the manifest's [0-9a-f]{64}/);
    expect(altered.stderr).toContain(`events.jsonl line ${index + 1}: decree-consultation: consultation-${consultationId} v`);
    expect(altered.stderr).toContain('content does not match its hash');
    // … or leaves a case's event out.
    const dropped = lines.findIndex((line) => line.includes('"type":"AssignmentDueDateSet"'));
    writeFileSync(eventsFile, lines.filter((_, i) => i !== dropped).join('\n'));
    const missing = await cli('verify', dir);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/task-assignment: assignment-[0-9a-f-]+ ends at version 1, the manifest at 2/);
  });

  it('replays a read model into fresh tables and finds it equal to the live one, then names a row someone changed by hand', async () => {
    const workers = consultations.get(BackgroundWorkers);
    await workers.projection('consultation-board').catchUp();
    const clean = (await request(consultations.getHttpServer()).get('/audit/read-models/consultation-board/replay').set('Authorization', AUDITOR).expect(200)).body;
    expect(clean).toMatchObject({ projection: 'consultation-board', equal: true });
    expect(clean.tables.map((t: { table: string; live: number; replayed: number }) => [t.table, t.live, t.replayed])).toEqual([['consultations', 10, 10], ['consultation_comments', 1, 1]]);
    const db = PgDatabase.fromUrl(databases[1].url, { max: 1 });
    await db.query(`UPDATE consultations SET status = 'closed' WHERE consultation_id = $1`, [consultationId]);
    const tampered = (await request(consultations.getHttpServer()).get('/audit/read-models/consultation-board/replay').set('Authorization', AUDITOR).expect(200)).body;
    expect(tampered.equal).toBe(false);
    const table = tampered.tables.find((t: { table: string }) => t.table === 'consultations');
    expect(table.onlyLive).toEqual([expect.objectContaining({ consultation_id: consultationId, status: 'closed' })]);
    expect(table.onlyReplayed).toEqual([expect.objectContaining({ consultation_id: consultationId, status: 'open' })]);
    // Nothing of the replay is left behind.
    expect((await db.query(`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname LIKE 'audit_replay_%'`)).rows[0]).toEqual({ n: 0 });

    // The log itself: verified clean, then an edited row is named by its position.
    expect((await request(consultations.getHttpServer()).get('/audit/verify').set('Authorization', AUDITOR).expect(200)).body).toMatchObject({ ok: true, problems: [] });
    const { rows } = await db.query<{ global_position: string }>(`SELECT global_position FROM es_events WHERE event_type = 'ConsultationCommentSubmitted'`);
    await db.query(`UPDATE es_events SET data = replace(data::text, 'phạm vi', 'thời hạn')::json WHERE global_position = $1`, [rows[0].global_position]);
    const report = (await request(consultations.getHttpServer()).get('/audit/verify').set('Authorization', AUDITOR).expect(200)).body;
    expect(report).toMatchObject({ ok: false, firstBadPosition: Number(rows[0].global_position) });
    expect(report.problems[0]).toMatchObject({ kind: 'event_altered', streamId: `consultation-${consultationId}` });
    await db.close();
  });
});
