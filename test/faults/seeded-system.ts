import { readFileSync } from 'node:fs';
import path from 'node:path';
import { INestApplication } from '@nestjs/common';
import { AuthKey, issueToken, Role } from '@thihanh/auth';
import { ManualClock } from '@thihanh/domain';
import { PgDatabase, Projection } from '@thihanh/event-store';
import { draftDecreeText, eventually, startTestApp } from '@thihanh/fixtures';
import { BackgroundWorkers, loadConfig, PROJECTIONS } from '@thihanh/platform';
import { createTestDatabase, dropTestDatabase, kafkaBrokers, TestDatabase } from '@thihanh/testing';
import request from 'supertest';
import { AppModule as DecreeConsultation } from '../../services/decree-consultation/src/app.module';
import { DecreeConsultationConfig } from '../../services/decree-consultation/src/config';
import { ConsultationScheduler } from '../../services/decree-consultation/src/scheduler/consultation-scheduler';
import { AppModule as PlanRegistry } from '../../services/plan-registry/src/app.module';
import { PlanRegistryConfig } from '../../services/plan-registry/src/config';
import { AppModule as Reporting } from '../../services/reporting/src/app.module';
import { ReportingConfig } from '../../services/reporting/src/config';
import { RoundScheduler } from '../../services/reporting/src/scheduler/round-scheduler';
import { AppModule as TaskAssignment } from '../../services/task-assignment/src/app.module';
import { TaskAssignmentConfig } from '../../services/task-assignment/src/config';
import { CaseScheduler } from '../../services/task-assignment/src/scheduler/case-scheduler';
import { SERVICES, ServiceName } from '@thihanh/contracts';

/**
 * The four services in-process on fresh databases and topics of their own on the shared broker, with
 * the Bắc Ninh plan imported and issued and one of everything a route can name: a case acknowledged
 * with a deliverable file and an extension request, a consultation with two drafts, a comment and a
 * response, the yearly reporting round with a report drafted, a draft plan. Used by the fault tests.
 */

const SECRET = 'fault-tests-0123456789abcdef0123456789';
export const KEYS: AuthKey[] = [{ kid: 'faults', secret: SECRET }];

/** Who plays which part: the Bắc Ninh plan names the first three; the others have no part in it. */
export const AGENCIES = {
  issuer: 'bac-ninh.ubnd-tinh', // issues the plan
  police: 'bac-ninh.cong-an-tinh', // the plan's coordinator, lead of task 4.b and of the consultation on 4.a
  justice: 'bac-ninh.so-tu-phap', // a case of task 4.b, a coordinating agency of 4.a, asked in the yearly round
  outsider: 'son-la.cong-an-tinh', // another province's police: no part in anything here
  ministry: 'national.bo-cong-an', // a ministry (national.*)
} as const;

export const CLOCK_START = '2026-05-04T02:00:00.000Z'; // 4 May 2026, 09:00 in Vietnam: nothing due within 7 days

export function bearer(agencyId: string, roles: Role[], options: { ttlSeconds?: number; now?: Date; keys?: AuthKey[] } = {}): string {
  const token = issueToken(options.keys ?? KEYS, { agencyId, clientId: `${agencyId}-faults`, roles, ttlSeconds: options.ttlSeconds ?? 3600 }, options.now);
  return `Bearer ${token}`;
}

export interface SeededIds {
  planId: string; // issued (Bắc Ninh)
  draftPlanId: string; // a draft
  smallPlanId: string; // a small plan, issued (for amending and closing)
  caseId: string; // justice's case of task 4.b, acknowledged
  reviewCaseId: string; // justice's case of task 4.c, for the lead's steps
  deliverableId: string; // a file on caseId
  requestId: string; // a pending extension request on caseId
  consultationId: string; // the consultation on task 4.a, two drafts, a response drafted
  commentId: string; // justice's comment on it
  roundId: string; // the yearly round 2026
  /** Per service: an event of its log, a stream of it (`<type>-<id>`) and a read model it keeps. */
  audit: Record<ServiceName, { eventId: string; streamType: string; aggregateId: string; readModel: string }>;
}

export interface SeededSystem {
  apps: Record<ServiceName, INestApplication>;
  databases: Record<ServiceName, PgDatabase>;
  clock: ManualClock;
  ids: SeededIds;
  /** Waits until no table of any service changes any more (consumers, projections, schedulers done). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSeededSystem(name: string): Promise<SeededSystem> {
  const testDatabases: TestDatabase[] = [];
  for (let i = 0; i < SERVICES.length; i += 1) testDatabases.push(await createTestDatabase([]));
  for (const db of testDatabases) await db.dataSource.destroy();
  const clock = new ManualClock(CLOCK_START);
  // Topics and groups of their own: other tests' services on the shared broker neither hear these nor are heard.
  const namespace = `${name}-${Date.now().toString(36)}`;
  // The schedulers run when ticked, on the seeded clock, never by themselves in between.
  const common = { KAFKA_BROKERS: kafkaBrokers()!.join(','), KAFKA_TOPIC_NAMESPACE: namespace, THIHANH_AUTH_KEYS: `faults:${SECRET}`, LOG_LEVEL: 'error', SCHEDULER_INTERVAL_MS: '0' };
  const own = (i: number) => ({ DATABASE_URL: testDatabases[i].url, KAFKA_CONSUMER_GROUP: `${SERVICES[i]}-${testDatabases[i].name}` });
  const apps = {
    'plan-registry': await startTestApp(PlanRegistry.forRoot(loadConfig(PlanRegistryConfig, { ...common, ...own(0) }), { clock })),
    'task-assignment': await startTestApp(TaskAssignment.forRoot(loadConfig(TaskAssignmentConfig, { ...common, ...own(1) }), { clock })),
    'decree-consultation': await startTestApp(DecreeConsultation.forRoot(loadConfig(DecreeConsultationConfig, { ...common, ...own(2) }), { clock })),
    reporting: await startTestApp(Reporting.forRoot(loadConfig(ReportingConfig, { ...common, ...own(3) }), { clock })),
  } satisfies Record<ServiceName, INestApplication>;
  const databases = Object.fromEntries(SERVICES.map((s, i) => [s, PgDatabase.fromUrl(testDatabases[i].url, { max: 2 })])) as Record<ServiceName, PgDatabase>;
  const stop = async () => {
    for (const db of Object.values(databases)) await db.close();
    for (const app of Object.values(apps).reverse()) await app.close();
    for (const db of testDatabases) await dropTestDatabase(db);
  };
  try {
    const ids = await seed(apps);
    const system: SeededSystem = { apps, databases, clock, ids, settle: () => settle(apps, databases), stop };
    await system.settle();
    return system;
  } catch (error) {
    await stop();
    throw error;
  }
}

async function seed(apps: Record<ServiceName, INestApplication>): Promise<SeededIds> {
  const http = (service: ServiceName) => request(apps[service].getHttpServer());
  const ok = <T extends { status: number; body: unknown; text: string }>(what: string, res: T, ...expected: number[]) => {
    if (!expected.includes(res.status)) throw new Error(`Seeding: ${what} answered ${res.status}: ${res.text.slice(0, 500)}`);
    return res.body as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const issuer = bearer(AGENCIES.issuer, ['coordinator']);
  const police = bearer(AGENCIES.police, ['coordinator']);
  const justice = bearer(AGENCIES.justice, ['member']);
  const auditor = bearer(AGENCIES.ministry, ['auditor']);

  const file = readFileSync(path.join(__dirname, '../fixtures/plans/bac-ninh-plan.txt'));
  const { planId } = ok('plan import', await http('plan-registry').post('/plans/import').set('Authorization', issuer).attach('file', file, 'bac-ninh-plan.txt'), 201);
  ok('plan issue', await http('plan-registry').post(`/plans/${planId}/issue`).set('Authorization', issuer).send({ number: '125/KH-UBND', issuedOn: '2026-04-20' }), 200);
  const { planId: draftPlanId } = ok('draft plan', await http('plan-registry').post('/plans').set('Authorization', issuer).send(smallPlan('Kế hoạch thử')), 201);
  const { planId: smallPlanId } = ok('small plan', await http('plan-registry').post('/plans').set('Authorization', issuer).send(smallPlan('Kế hoạch nhỏ')), 201);
  ok('small plan issue', await http('plan-registry').post(`/plans/${smallPlanId}/issue`).set('Authorization', issuer).send({ number: '126/KH-UBND', issuedOn: '2026-04-21' }), 200);

  const casesOf = async (token: string) => (await http('task-assignment').get('/cases').query({ planId, limit: 500 }).set('Authorization', token)).body.items ?? [];
  const own = await eventually(() => casesOf(justice), (items) => items.length > 0 && items.some((c: { taskNumber: string }) => c.taskNumber === '4.c'), 'the Department of Justice’s cases', 90_000);
  const caseOf = (task: string) => own.find((c: { taskNumber: string }) => c.taskNumber === task).assignmentId as string;
  const [caseId, reviewCaseId] = [caseOf('4.b'), caseOf('4.c')];
  ok('acknowledge', await http('task-assignment').post(`/cases/${caseId}/acknowledge`).set('Authorization', justice).send({ focalPoint: { name: 'Đầu mối' } }), 200);
  const { requestId } = ok('extension', await http('task-assignment').post(`/cases/${caseId}/extension-requests`).set('Authorization', justice).send({ newDueBefore: '2026-08-01', reason: 'Chờ số liệu' }), 201);
  const { deliverableId } = ok('upload', await http('task-assignment').post(`/cases/${caseId}/deliverables/upload`).set('Authorization', justice).field('title', 'Báo cáo').attach('file', Buffer.from('Báo cáo kết quả'), 'bao-cao.txt'), 201);
  ok('acknowledge 4.c', await http('task-assignment').post(`/cases/${reviewCaseId}/acknowledge`).set('Authorization', justice).send({ focalPoint: { name: 'Đầu mối' } }), 200);

  const consultations = await eventually(
    async () => (await http('decree-consultation').get('/consultations').query({ planId }).set('Authorization', police)).body.items ?? [],
    (items) => items.length === 10,
    'the ten consultations',
    90_000,
  );
  const consultationId = consultations.find((c: { taskNumber: string }) => c.taskNumber === '4.a').consultationId as string;
  for (const version of [1, 2] as const) {
    const draft = Buffer.from(draftDecreeText(version));
    ok(`draft ${version}`, await http('decree-consultation').post(`/consultations/${consultationId}/drafts`).set('Authorization', police).attach('file', draft, `du-thao-${version}.txt`), 201);
  }
  const { commentId } = ok('comment', await http('decree-consultation').post(`/consultations/${consultationId}/comments`).set('Authorization', justice).send({ anchor: 'dieu-4', text: 'Đề nghị làm rõ thời hạn.' }), 201);
  ok('response', await http('decree-consultation').put(`/consultations/${consultationId}/response`).set('Authorization', police).send(consultationResponse()), 200);

  await eventually(async () => (await http('reporting').get(`/plans/${planId}/figures`).set('Authorization', auditor)).body.figures?.total, (n) => n === 632, 'the 632 cases in reporting', 90_000);
  await apps.reporting.get(RoundScheduler).tick();
  const rounds = await eventually(
    async () => (await http('reporting').get('/rounds').query({ planId }).set('Authorization', police)).body.items ?? [],
    (items) => items.length === 1,
    'the yearly round',
  );
  const roundId = rounds[0].roundId as string;
  ok('narrative', await http('reporting').put(`/rounds/${roundId}/reports/mine`).set('Authorization', justice).send({ results: 'Đang thực hiện.', difficulties: '', proposals: '' }), 200);

  const streams: Record<ServiceName, [string, string]> = {
    'plan-registry': ['plan', planId], 'task-assignment': ['assignment', caseId], 'decree-consultation': ['consultation', consultationId], reporting: ['round', roundId],
  };
  const audit = {} as SeededIds['audit'];
  for (const service of SERVICES) {
    const [streamType, aggregateId] = streams[service];
    const { items } = ok('audit', await http(service).get('/audit/events').query({ streamId: `${streamType}-${aggregateId}`, limit: 1 }).set('Authorization', auditor), 200);
    const readModel = apps[service].get<symbol, Projection[]>(PROJECTIONS)[0]?.name ?? 'none';
    audit[service] = { eventId: items[0].eventId, streamType, aggregateId, readModel };
  }
  return { planId, draftPlanId, smallPlanId, caseId, reviewCaseId, deliverableId, requestId, consultationId, commentId, roundId, audit };
}

/** What a service's tables hold, table by table (rows, and the newest event position). */
export async function tableCounts(db: PgDatabase): Promise<Record<string, number>> {
  const { rows: tables } = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    counts[name] = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM "${name}"`)).rows[0].n);
  }
  counts['es_events.max_position'] = Number((await db.query<{ n: string | null }>(`SELECT max(global_position) AS n FROM es_events`)).rows[0].n ?? 0);
  return counts;
}

/** Tables that change by themselves or by design, whatever the requests: seals, checkpoints, migrations, kept idempotent answers. */
export const SELF_CHANGING_TABLES = new Set(['es_seals', 'es_checkpoints', 'typeorm_migrations', 'http_idempotency']);

async function settle(apps: Record<ServiceName, INestApplication>, databases: Record<ServiceName, PgDatabase>): Promise<void> {
  // The schedulers' work for today, done now rather than at their next minute.
  await apps['task-assignment'].get(CaseScheduler).tick();
  await apps['decree-consultation'].get(ConsultationScheduler).tick();
  await apps.reporting.get(RoundScheduler).tick();
  const snapshot = async () => {
    const all: Record<string, number> = {};
    for (const service of SERVICES) {
      for (const [table, n] of Object.entries(await tableCounts(databases[service]))) if (!SELF_CHANGING_TABLES.has(table)) all[`${service}.${table}`] = n;
    }
    return JSON.stringify(all);
  };
  const catchUp = async () => {
    for (const service of SERVICES) {
      const workers = apps[service].get(BackgroundWorkers);
      workers.poke();
      for (const { name } of apps[service].get<symbol, Projection[]>(PROJECTIONS)) await workers.projection(name).catchUp();
    }
  };
  await catchUp();
  let last = await snapshot();
  let quietSince = Date.now();
  const deadline = Date.now() + 90_000;
  while (Date.now() - quietSince < 3000) {
    if (Date.now() > deadline) throw new Error('The services did not settle within 90 s');
    await new Promise((resolve) => setTimeout(resolve, 250));
    await catchUp();
    const now = await snapshot();
    if (now !== last) [last, quietSince] = [now, Date.now()];
  }
}

/** A draft plan the registry accepts: one task led by the province's police. */
export function smallPlan(title: string) {
  return {
    province: 'bac-ninh',
    title,
    coordinatorAgencyId: AGENCIES.police,
    tasks: [{ number: '1', title: 'Tuyên truyền Luật', lead: [{ agencyId: AGENCIES.police }], implementers: [], coordinators: [{ agencyId: AGENCIES.justice }], timeline: { kind: 'fixed', dueBefore: '2026-12-31', text: 'Trước ngày 31/12/2026' } }],
  };
}

export function consultationResponse() {
  return {
    issuer: 'CÔNG AN TỈNH BẮC NINH', place: 'Bắc Ninh', summary: 'V/v góp ý dự thảo Nghị định', addressees: ['Bộ Công an'], body: 'Công an tỉnh Bắc Ninh góp ý như sau.',
    recipients: ['Như trên', 'Lưu: VT'], signer: { title: 'GIÁM ĐỐC', name: 'Nguyễn Văn B' },
  };
}

/** A route of a service's OpenAPI document. */
export interface OpenApiRoute {
  service: ServiceName;
  method: string; // upper case
  path: string; // as in the document: /cases/{id}/acknowledge
  operation: OpenApiOperation;
  document: OpenApiDocument;
}
export interface OpenApiSchema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  items?: OpenApiSchema;
  properties?: Record<string, OpenApiSchema>;
  required?: string[];
  example?: unknown;
  nullable?: boolean;
}
export interface OpenApiOperation {
  operationId?: string;
  parameters?: { in: string; name: string; required?: boolean; schema?: OpenApiSchema }[];
  requestBody?: { content: Record<string, { schema?: OpenApiSchema }> };
  security?: unknown[];
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, OpenApiSchema> };
}

/** Every route each service's OpenAPI document (GET /openapi.json) names. */
export async function openApiRoutes(apps: Record<ServiceName, INestApplication>): Promise<OpenApiRoute[]> {
  const routes: OpenApiRoute[] = [];
  for (const service of SERVICES) {
    const document = (await request(apps[service].getHttpServer()).get('/openapi.json').expect(200)).body as OpenApiDocument;
    for (const [route, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) routes.push({ service, method: method.toUpperCase(), path: route, operation, document });
    }
  }
  return routes;
}

/** A schema with its $ref followed. */
export function resolveSchema(document: OpenApiDocument, schema: OpenApiSchema | undefined): OpenApiSchema | undefined {
  if (!schema?.$ref) return schema;
  return document.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')];
}
