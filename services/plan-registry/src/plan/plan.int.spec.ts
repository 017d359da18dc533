import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { issueToken, Role } from '@thihanh/auth';
import { EventEnvelope, PlanIssuedV1, TOPICS } from '@thihanh/contracts';
import { configureHttpApp } from '@thihanh/http';
import { Database } from '@thihanh/event-store';
import { KafkaMessageBus } from '@thihanh/messaging';
import { DATABASE, loadConfig } from '@thihanh/platform';
import { createTestDatabase, describeWithKafka, dropTestDatabase, kafkaBrokers, TestDatabase } from '@thihanh/testing';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { AppModule } from '../app.module';
import { PlanRegistryConfig } from '../config';

const KEYS = 'test:0123456789abcdef0123456789abcdef';

const token = (agencyId: string, ...roles: Role[]) =>
  `Bearer ${issueToken([{ kid: 'test', secret: '0123456789abcdef0123456789abcdef' }], { agencyId, clientId: `${agencyId}-client`, roles, ttlSeconds: 600 })}`;

const OPERATOR = token('son-la.ubnd-tinh', 'operator');
const MEMBER = token('son-la.so-tu-phap', 'member');
const AUDITOR = token('national.thanh-tra-chinh-phu', 'auditor');
const POLICE_COORDINATOR = token('son-la.cong-an-tinh', 'coordinator');
const JUSTICE_COORDINATOR = token('son-la.so-tu-phap', 'coordinator');
const OTHER_PROVINCE = token('bac-ninh.ubnd-tinh', 'coordinator');

const aPlan = (overrides: Record<string, unknown> = {}) => ({
  province: 'son-la',
  title: 'Kế hoạch triển khai thi hành Luật An ninh mạng trên địa bàn tỉnh Sơn La',
  issuer: 'Ủy ban nhân dân tỉnh Sơn La',
  legalBasis: [{ text: 'Luật An ninh mạng số 116/2025/QH15', documentNumber: '116/2025/QH15' }],
  reporting: [{ frequency: 'yearly', dueMonthDay: '11-15', recipient: 'Công an tỉnh' }],
  coordinatorAgencyId: 'son-la.cong-an-tinh',
  tasks: [
    {
      number: '1',
      title: 'Tổ chức tuyên truyền, phổ biến, hướng dẫn thi hành Luật',
      lead: [{ name: 'Công an tỉnh' }],
      coordinators: [{ name: 'Sở Văn hoá, Thể thao và Du lịch' }, { name: 'UBND các xã, phường' }],
      timeline: { kind: 'recurring', fromYear: 2026, text: 'năm 2026 và các năm tiếp theo' },
      deliverables: ['Hội nghị, hội thảo, tọa đàm'],
    },
    {
      number: '3',
      title: 'Rà soát các văn bản quy phạm pháp luật',
      lead: [{ agencyId: 'son-la.cong-an-tinh' }],
      coordinators: [{ name: 'các cơ quan, đơn vị có liên quan' }],
      timeline: { kind: 'fixed', dueBefore: '2026-05-20', text: 'trước ngày 20/5/2026' },
    },
  ],
  ...overrides,
});

describeWithKafka('plan registry over HTTP, with its events on the real broker', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let bus: KafkaMessageBus;
  const published: EventEnvelope[] = [];
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    database = await createTestDatabase([]);
    await database.dataSource.destroy();
    const config = loadConfig(PlanRegistryConfig, { DATABASE_URL: database.url, KAFKA_BROKERS: kafkaBrokers()!.join(','), THIHANH_AUTH_KEYS: KEYS, LOG_LEVEL: 'warn' });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
    app = moduleRef.createNestApplication({ bodyParser: false });
    configureHttpApp(app, { title: 'plan-registry', version: 'test' });
    await app.init();
    bus = new KafkaMessageBus({ brokers: kafkaBrokers()!, clientId: 'plan-test-tap' });
    await bus.ensureTopics([{ topic: TOPICS.planRegistryEvents, partitions: 6 }]);
    const tap = await bus.subscribe({
      groupId: `plan-test-tap-${database.name}`,
      topics: [TOPICS.planRegistryEvents],
      handle: async (m) => void published.push(JSON.parse(m.value)),
    });
    app.get(AppModule); // keep the module alive
    afterAllStop.push(() => tap.stop());
  }, 120_000);

  const afterAllStop: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const stop of afterAllStop) await stop();
    await bus?.close();
    await app?.close();
    await dropTestDatabase(database);
  });

  it('has PostgreSQL end a transaction left idle after a minute, so a stuck request cannot hold back every log reader', async () => {
    const { rows } = await app.get<Database>(DATABASE).query<{ timeout: string }>(`SELECT current_setting('idle_in_transaction_session_timeout') AS timeout`);
    expect(rows[0].timeout).toBe('1min');
  });

  it('ships the directory: names resolve and groups expand to their members', async () => {
    const found = await http().get('/agencies').query({ q: 'cong an tinh', province: 'son-la' }).set('Authorization', MEMBER).expect(200);
    expect(found.body.items.map((i: { agency?: { id: string } }) => i.agency?.id)).toContain('son-la.cong-an-tinh');
    const communes = await http().get('/agencies/son-la.group.ubnd-cac-xa-phuong').set('Authorization', AUDITOR).expect(200);
    expect(communes.body.members).toHaveLength(75);
  });

  it('drafts, refuses what is wrong without changing anything, issues, amends and reads any version', async () => {
    const unknown = await http()
      .post('/plans')
      .set('Authorization', OPERATOR)
      .send(aPlan({ tasks: [{ number: '1', title: 'x', lead: [{ name: 'Sở Không Có Thật' }] }] }))
      .expect(400);
    expect(unknown.body).toMatchObject({ code: 'AGENCY.UNKNOWN' });
    const badDate = await http()
      .post('/plans')
      .set('Authorization', OPERATOR)
      .send(aPlan({ tasks: [{ number: '1', title: 'x', lead: [{ name: 'Công an tỉnh' }], timeline: { kind: 'fixed', dueBefore: '2026-02-30', text: '30/02' } }] }))
      .expect(400);
    // A day that does not exist is refused at the edge, before the aggregate sees it.
    expect(badDate.body).toMatchObject({ code: 'VALIDATION.FAILED', errors: [{ property: 'tasks.0.timeline.dueBefore', constraints: { isDay: expect.any(String) } }] });
    expect((await http().get('/plans').set('Authorization', MEMBER).expect(200)).body.items).toHaveLength(0);

    await http().post('/plans').set('Authorization', MEMBER).send(aPlan()).expect(403);
    const empty = await http().post('/plans').set('Authorization', OPERATOR).send(aPlan({ tasks: [] })).expect(201);
    const noTasks = await http().post(`/plans/${empty.body.planId}/issue`).set('Authorization', OPERATOR).send({ number: '1/KH-UBND', issuedOn: '2026-04-20' }).expect(409);
    expect(noTasks.body.code).toBe('PLAN.NO_TASKS');

    const drafted = await http().post('/plans').set('Authorization', OPERATOR).send(aPlan()).expect(201);
    expect(drafted.headers['etag']).toBe('"1"');
    const planId = drafted.body.planId;
    const stale = await http().post(`/plans/${planId}/issue`).set('Authorization', OPERATOR).set('If-Match', '"7"').send({ number: '123/KH-UBND', issuedOn: '2026-04-20' }).expect(412);
    expect(stale.body.code).toBe('CONCURRENCY.PRECONDITION_FAILED');
    await http().post(`/plans/${planId}/issue`).set('Authorization', OPERATOR).set('If-Match', '"1"').send({ number: '123/KH-UBND', issuedOn: '2026-04-20' }).expect(200);
    const edit = await http().put(`/plans/${planId}`).set('Authorization', OPERATOR).send(aPlan({ title: 'Khác' })).expect(409);
    expect(edit.body.code).toBe('PLAN.NOT_A_DRAFT');

    const amendedPlan = aPlan();
    (amendedPlan.tasks as { deliverables?: string[] }[])[1].deliverables = ['Báo cáo kết quả rà soát'];
    const amended = await http().post(`/plans/${planId}/amend`).set('Authorization', OPERATOR).send({ reason: 'Bổ sung sản phẩm', plan: amendedPlan }).expect(200);
    expect(amended.body.version).toBe(3);

    const v1 = await http().get(`/plans/${planId}`).query({ version: 1 }).set('Authorization', AUDITOR).expect(200);
    expect(v1.body).toMatchObject({ status: 'issued', planVersion: 1, content: { number: '123/KH-UBND' } });
    expect(v1.body.content.tasks[1].deliverables).toEqual([]);
    const current = await http().get(`/plans/${planId}`).set('Authorization', MEMBER).expect(200);
    expect(current.body).toMatchObject({ status: 'amended', planVersion: 2 });
    expect(current.headers['etag']).toBe('"3"');
    await http().post(`/plans/${planId}/close`).set('Authorization', AUDITOR).send({ reason: 'x', closedOn: '2027-12-31' }).expect(403);

    const deadline = Date.now() + 30_000;
    // The directory's events and the plan's are on different partitions: neither arrives first for sure.
    const arrived = () => published.some((e) => e.type === 'PlanAmended' && e.streamId === `plan-${planId}`) && published.some((e) => e.type === 'AgencyAdded');
    while (!arrived() && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect({ arrived: arrived(), types: [...new Set(published.map((e) => e.type))] }).toMatchObject({ arrived: true });
    const issued = published.find((e) => e.type === 'PlanIssued' && e.streamId === `plan-${planId}`) as EventEnvelope<PlanIssuedV1>;
    expect(issued.metadata.actor).toMatchObject({ agencyId: 'son-la.ubnd-tinh', roles: ['operator'] });
    const coordinators = issued.data.content.tasks[0].coordinators;
    expect(coordinators.map((p) => p.agencyId)).toEqual(['son-la.so-van-hoa-the-thao-va-du-lich', 'son-la.group.ubnd-cac-xa-phuong']);
    expect(coordinators[1].members).toHaveLength(75);
    expect(published.find((e) => e.type === 'PlanAmended' && e.streamId === `plan-${planId}`)!.data).toMatchObject({
      planVersion: 2,
      diff: { added: [], removed: [], changed: [{ number: '3', fields: ['deliverables'] }], fields: [] },
    });
    expect(published.some((e) => e.type === 'AgencyAdded')).toBe(true);

    const search = await http().get('/plans').query({ q: 'an ninh mang son la' }).set('Authorization', MEMBER).expect(200);
    expect(search.body.items.map((p: { planId: string }) => p.planId)).toContain(planId);
  });

  it.each([
    ['son-la-plan.txt', 'son-la', 'son-la.group.cac-so-ban-nganh'],
    ['bac-ninh-plan.txt', 'bac-ninh', 'bac-ninh.group.co-quan-lien-quan'],
  ])('imports the seed plan %s through the API, then issues it with its events on the broker', async (file, province, group) => {
    const content = readFileSync(path.join(__dirname, '../../../../test/fixtures/plans', file));
    const imported = await http().post('/plans/import').set('Authorization', OPERATOR).attach('file', content, file).expect(201);
    expect(imported.body).toMatchObject({ unparsed: [], problems: [] });
    const planId = imported.body.planId;
    const draft = await http().get(`/plans/${planId}`).set('Authorization', MEMBER).expect(200);
    expect(draft.body.content.province).toBe(province);
    expect(draft.body.content.tasks.map((t: { number: string }) => t.number)).toEqual(
      ['1', '2', '3', '4', '4.a', '4.b', '4.c', '4.d', '4.đ', '4.e', '4.g', '4.h', '4.i', '5', '6'],
    );
    await http().post(`/plans/${planId}/issue`).set('Authorization', OPERATOR).send({ number: '99/KH-UBND', issuedOn: '2026-04-20' }).expect(200);
    const deadline = Date.now() + 30_000;
    while (!published.some((e) => e.type === 'PlanIssued' && e.streamId === `plan-${planId}`) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const issued = published.find((e) => e.type === 'PlanIssued' && e.streamId === `plan-${planId}`) as EventEnvelope<PlanIssuedV1>;
    expect(issued).toBeDefined();
    expect(issued.data.content.tasks).toHaveLength(15);
    const parties = issued.data.content.tasks.flatMap((t) => [...t.lead, ...t.implementers, ...t.coordinators]);
    expect(parties.every((p) => p.agencyId)).toBe(true);
    expect(parties.find((p) => p.agencyId === group)?.members?.length).toBeGreaterThan(10);
  });

  it('lets the issuing authority’s coordinators edit a plan, and everyone else only read it', async () => {
    await http().post('/plans').set('Authorization', OTHER_PROVINCE).send(aPlan()).expect(403);
    const drafted = await http().post('/plans').set('Authorization', POLICE_COORDINATOR).send(aPlan()).expect(201);
    const planId = drafted.body.planId;
    const refused = await http().post(`/plans/${planId}/issue`).set('Authorization', JUSTICE_COORDINATOR).send({ number: '5/KH-UBND', issuedOn: '2026-04-20' }).expect(403);
    expect(refused.body).toMatchObject({ code: 'PLAN.NOT_ISSUING_AUTHORITY' });
    await http().put(`/plans/${planId}`).set('Authorization', AUDITOR).send(aPlan({ title: 'Sửa' })).expect(403);
    expect((await http().get(`/plans/${planId}`).set('Authorization', JUSTICE_COORDINATOR).expect(200)).body.version).toBe(1);
    await http().put(`/plans/${planId}`).set('Authorization', POLICE_COORDINATOR).send(aPlan({ title: 'Kế hoạch (sửa lần 1)' })).expect(200);
    await http().post(`/plans/${planId}/issue`).set('Authorization', POLICE_COORDINATOR).send({ number: '5/KH-UBND', issuedOn: '2026-04-20' }).expect(200);
  });

  it('lets operators complete and change the directory over the API, and nobody else', async () => {
    const csv = 'id,officialName,aliases,kind,province,parentId,focalPointName,focalPointPhone,focalPointEmail\n' +
      'son-la.truong-cao-dang-son-la,Trường Cao đẳng Sơn La,"CĐ Sơn La|Trường CĐ Sơn La",public-service-unit,son-la,son-la.ubnd-tinh,Lò Văn A,0212 000 000,a@example.vn\n';
    await http().post('/agencies/import').set('Authorization', POLICE_COORDINATOR).send({ format: 'csv', content: csv }).expect(403);
    const bad = await http().post('/agencies/import').set('Authorization', OPERATOR).send({ format: 'csv', content: csv.replace('public-service-unit', 'spaceship') }).expect(400);
    expect(bad.body).toMatchObject({ code: 'AGENCY.IMPORT_REJECTED', details: { problems: [expect.objectContaining({ line: 2 })] } });
    await http().get('/agencies/son-la.truong-cao-dang-son-la').set('Authorization', MEMBER).expect(404);
    await http().post('/agencies/import').set('Authorization', OPERATOR).send({ format: 'csv', content: csv }).expect(201);
    const units = await http().get('/agencies/son-la.group.don-vi-su-nghiep-cong-lap').set('Authorization', MEMBER).expect(200);
    expect(units.body.members.map((m: { id: string }) => m.id)).toContain('son-la.truong-cao-dang-son-la');

    await http().post('/agencies/son-la.truong-cao-dang-son-la/rename').set('Authorization', OPERATOR).send({ newName: 'Trường Cao đẳng Kỹ thuật Sơn La', on: '2026-09-01' }).expect(201);
    const found = await http().get('/agencies').query({ q: 'truong cao dang son la', province: 'son-la' }).set('Authorization', MEMBER).expect(200);
    expect(found.body.items.map((i: { agency?: { id: string } }) => i.agency?.id)).toContain('son-la.truong-cao-dang-son-la');
    const renamed = await http().get('/agencies/son-la.truong-cao-dang-son-la').set('Authorization', MEMBER).expect(200);
    expect(renamed.body.agency).toMatchObject({ officialName: 'Trường Cao đẳng Kỹ thuật Sơn La', aliases: expect.arrayContaining(['Trường Cao đẳng Sơn La']) });

    await http().post('/agencies/son-la.truong-cao-dang-son-la/retire').set('Authorization', OPERATOR).send({ on: '2026-12-31' }).expect(201);
    const again = await http().post('/agencies/son-la.truong-cao-dang-son-la/retire').set('Authorization', OPERATOR).send({ on: '2026-12-31' }).expect(409);
    expect(again.body.code).toBe('AGENCY.ALREADY_RETIRED');
    const after = await http().get('/agencies/son-la.group.don-vi-su-nghiep-cong-lap').set('Authorization', MEMBER).expect(200);
    expect(after.body.members.map((m: { id: string }) => m.id)).not.toContain('son-la.truong-cao-dang-son-la');
    const exported = await http().get('/agencies/export').query({ format: 'csv', province: 'son-la' }).set('Authorization', AUDITOR).expect(200);
    expect(exported.body.content).toContain('son-la.cong-an-tinh');
  });
});
