/** Task assignment's case lifecycle over HTTP, run on real PostgreSQL and on the embedded store (two spec files). */
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { issueToken, Role } from '@thihanh/auth';
import { PlanContent, TOPICS } from '@thihanh/contracts';
import { ManualClock } from '@thihanh/domain';
import { configureHttpApp } from '@thihanh/http';
import { InProcessMessageBus, toMessage } from '@thihanh/messaging';
import { BackgroundWorkers, loadConfig } from '@thihanh/platform';
import { TestStore } from '@thihanh/fixtures';
import { aMetadata, anEnvelope } from '@thihanh/testing';
import request from 'supertest';
import { AppModule } from '../app.module';
import { TaskAssignmentConfig } from '../config';
import { CaseScheduler } from '../scheduler/case-scheduler';

const SECRET = '0123456789abcdef0123456789abcdef';
const token = (agencyId: string, ...roles: Role[]) =>
  `Bearer ${issueToken([{ kid: 't', secret: SECRET }], { agencyId, clientId: `${agencyId}-client`, roles, ttlSeconds: 900 })}`;
const POLICE = token('son-la.cong-an-tinh', 'coordinator');
const JUSTICE = token('son-la.so-tu-phap', 'member');
const EDUCATION = token('son-la.so-giao-duc-va-dao-tao', 'member');
/** Holds both roles, so every route reaches the case and only the case's parties decide. */
const JUSTICE_BOTH = token('son-la.so-tu-phap', 'member', 'coordinator');
const AUDITOR = token('national.thanh-tra-chinh-phu', 'auditor');

const party = (agencyId: string) => ({ name: agencyId, agencyId, group: false });
const plan: PlanContent = {
  province: 'son-la', number: '215/KH-UBND', title: 'Kế hoạch triển khai thi hành Luật An ninh mạng', issuer: null, place: null,
  issuedOn: '2026-04-20', legalBasis: [], purpose: null, requirements: null, funding: null, reporting: [], recipients: [], signer: null,
  coordinatorAgencyId: 'son-la.cong-an-tinh',
  tasks: [{
    number: '3', parent: null, title: 'Rà soát các văn bản quy phạm pháp luật', content: '',
    lead: [party('son-la.cong-an-tinh')], implementers: [], coordinators: [party('son-la.so-tu-phap'), party('son-la.so-giao-duc-va-dao-tao')],
    timeline: { kind: 'fixed', dueBefore: '2026-05-20', fromYear: null, dueMonthDay: null, text: 'trước ngày 20/5/2026' },
    deliverables: ['Báo cáo kết quả rà soát'], legalRefs: [],
  }, {
    number: '4.a', parent: null, title: 'Dự thảo Nghị định quy định chi tiết một số điều của Luật An ninh mạng', content: '',
    lead: [party('son-la.cong-an-tinh')], implementers: [], coordinators: [party('son-la.so-tu-phap')],
    timeline: { kind: 'dependent', dueBefore: null, fromYear: null, dueMonthDay: null, dependsOn: 'theo tiến độ dự thảo Nghị định', text: 'theo tiến độ dự thảo Nghị định' },
    deliverables: [], legalRefs: ['khoản 4 Điều 25'],
  }],
};

export function lifecycleSuite(open: () => Promise<TestStore>) {
  let store: TestStore;
  let app: INestApplication;
  const clock = new ManualClock('2026-05-01T02:00:00.000Z');
  const http = () => request(app.getHttpServer());
  const caseOf = async (auth: string) => (await http().get('/cases').set('Authorization', auth).expect(200)).body.items[0];
  let producer: Awaited<ReturnType<InProcessMessageBus['createProducer']>>;
  const settle = () => app.get(BackgroundWorkers).projection('case-board').catchUp();

  beforeAll(async () => {
    store = await open();
    const bus = new InProcessMessageBus();
    const config = loadConfig(TaskAssignmentConfig, { ...(store.url ? { DATABASE_URL: store.url } : {}), THIHANH_AUTH_KEYS: `t:${SECRET}`, LOG_LEVEL: 'warn', SCHEDULER_INTERVAL_MS: '0' });
    const ref = await Test.createTestingModule({ imports: [AppModule.forRoot(config, { bus, clock, database: store.embedded })] }).compile();
    app = ref.createNestApplication({ bodyParser: false });
    configureHttpApp(app, { title: 'task-assignment', version: 'test' });
    await app.init();
    producer = await bus.createProducer();
    const issued = anEnvelope({ type: 'PlanIssued', streamId: 'plan-1', data: { planId: '0190a1b2-0000-7000-8000-0000000000aa', planVersion: 1, content: plan }, metadata: aMetadata() });
    await producer.publish(TOPICS.planRegistryEvents, [toMessage(issued, 'plan-registry')]);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      await settle();
      if ((await http().get('/cases').set('Authorization', AUDITOR)).body.items.length === 5) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  it('goes from assigned to accepted through acknowledgement, progress, a return and a resubmission', async () => {
    const own = await caseOf(JUSTICE);
    expect(own).toMatchObject({ agencyId: 'son-la.so-tu-phap', role: 'coordinator', status: 'assigned', dueBefore: '2026-05-20' });
    const url = `/cases/${own.assignmentId}`;
    await http().post(`${url}/acknowledge`).set('Authorization', JUSTICE).send({ focalPoint: { name: 'Lò Văn B', phone: '0212 3850 000' } }).expect(200);
    await http().post(`${url}/progress`).set('Authorization', JUSTICE).send({ percent: 60, note: 'Đã rà soát 12/20 văn bản' }).expect(200);
    const notYet = await http().post(`${url}/accept`).set('Authorization', POLICE).send({}).expect(409);
    expect(notYet.body).toMatchObject({ code: 'ASSIGNMENT.NOTHING_SUBMITTED' });
    await http().post(`${url}/deliverables`).set('Authorization', JUSTICE).send({ title: 'Báo cáo kết quả rà soát', documentNumber: '45/BC-STP', documentDate: '2026-05-10', link: 'https://stp.sonla.gov.vn/bc-45.pdf' }).expect(201);
    const returned = await http().post(`${url}/return`).set('Authorization', POLICE).send({ reason: 'Bổ sung danh mục văn bản cấp xã' }).expect(200);
    expect(returned.body.status).toBe('returned');
    await http().post(`${url}/deliverables`).set('Authorization', JUSTICE).send({ title: 'Báo cáo (bổ sung)', file: { name: 'bc.pdf', sha256: 'a'.repeat(64), size: 1024 } }).expect(201);
    const accepted = await http().post(`${url}/accept`).set('Authorization', POLICE).send({ note: 'Đạt' }).expect(200);
    expect(accepted.body.status).toBe('accepted');
    const again = await http().post(`${url}/accept`).set('Authorization', POLICE).send({}).expect(409);
    expect(again.body).toMatchObject({ code: 'ASSIGNMENT.TRANSITION_NOT_ALLOWED', details: { status: 'accepted', allowed: [] } });

    const history = (await http().get(url).set('Authorization', JUSTICE).expect(200)).body.history;
    expect(history.map((e: { type: string }) => e.type)).toEqual([
      'AssignmentOpened', 'AssignmentAcknowledged', 'AssignmentProgressReported', 'AssignmentDeliverableSubmitted',
      'AssignmentReturned', 'AssignmentDeliverableSubmitted', 'AssignmentAccepted',
    ]);
    expect(history[6].actor).toMatchObject({ agencyId: 'son-la.cong-an-tinh', roles: ['coordinator'] });

    // The lead sees its coordinators' contributions on its own case.
    await settle();
    const lead = (await http().get(`/cases/${(await caseOf(POLICE)).assignmentId}`).set('Authorization', POLICE).expect(200)).body;
    expect(lead.contributions).toEqual([
      expect.objectContaining({ agencyId: 'son-la.so-giao-duc-va-dao-tao', status: 'assigned' }),
      expect.objectContaining({ agencyId: 'son-la.so-tu-phap', status: 'accepted', percent: 100, deliverables: 2 }),
    ]);
  });

  it('keeps agencies out of each other’s cases on every route, and lets an auditor read but not act', async () => {
    const other = await caseOf(EDUCATION);
    for (const [path, body] of [
      ['acknowledge', { focalPoint: { name: 'X' } }], ['progress', { percent: 10, note: '' }], ['deliverables', { title: 'x', link: 'https://x.vn' }],
      ['extension-requests', { newDueBefore: '2026-06-30', reason: 'x' }], ['accept', {}], ['return', { reason: 'x' }], ['block', { reason: 'x' }],
    ] as const) {
      const refused = await http().post(`/cases/${other.assignmentId}/${path}`).set('Authorization', JUSTICE_BOTH).send(body).expect(404);
      expect(refused.body.code).toBe('ASSIGNMENT.NOT_FOUND');
    }
    await http().get(`/cases/${other.assignmentId}`).set('Authorization', JUSTICE).expect(404);
    await http().get(`/cases/${other.assignmentId}`).set('Authorization', AUDITOR).expect(200);
    await http().post(`/cases/${other.assignmentId}/acknowledge`).set('Authorization', AUDITOR).send({ focalPoint: { name: 'X' } }).expect(403);
    expect((await http().get(`/cases/${other.assignmentId}`).set('Authorization', AUDITOR)).body.history).toHaveLength(1);
  });

  it('lets exactly one of several concurrent updates of one case through, losing nothing', async () => {
    const own = await caseOf(EDUCATION);
    const url = `/cases/${own.assignmentId}`;
    const ack = await http().post(`${url}/acknowledge`).set('Authorization', EDUCATION).send({ focalPoint: { name: 'Cầm Thị C' } }).expect(200);
    const version = ack.body.version;
    const percents = [10, 20, 30, 40, 50];
    const results = await Promise.all(
      percents.map((percent) =>
        http().post(`${url}/progress`).set('Authorization', EDUCATION).set('If-Match', `"${version}"`).send({ percent, note: `${percent}%` }),
      ),
    );
    const ok = results.filter((r) => r.status === 200);
    const winner = percents[results.findIndex((r) => r.status === 200)];
    expect(ok).toHaveLength(1);
    expect(results.filter((r) => r.status === 409 || r.status === 412)).toHaveLength(4);
    const history = (await http().get(url).set('Authorization', EDUCATION)).body.history;
    expect(history).toHaveLength(version + 1);
    expect(history[version].data.percent).toBe(winner);
  });

  it('reminds 7 and 1 days before, marks overdue on the day and escalates a week later, once each, by the clock', async () => {
    const police = await caseOf(POLICE);
    const types = async () => (await http().get(`/cases/${police.assignmentId}`).set('Authorization', POLICE)).body.history.map((e: { type: string }) => e.type);
    const scheduler = app.get(CaseScheduler);
    clock.set('2026-05-12T02:00:00.000Z'); // 8 days before 20/5
    await scheduler.tick();
    expect(await types()).toEqual(['AssignmentOpened']);
    clock.set('2026-05-13T02:00:00.000Z');
    await scheduler.tick();
    await scheduler.tick();
    clock.set('2026-05-20T01:00:00.000Z'); // 08:00 on 20/5 in Vietnam: the day it is due before
    await settle();
    await scheduler.tick();
    clock.set('2026-05-27T02:00:00.000Z');
    await settle();
    await scheduler.tick();
    await scheduler.tick();
    expect((await types()).slice(1)).toEqual(['AssignmentDueSoon', 'AssignmentDueSoon', 'AssignmentOverdue', 'AssignmentEscalated']);
    const overdue = await http().get('/cases').query({ overdue: true }).set('Authorization', POLICE).expect(200);
    expect(overdue.body.items.map((c: { assignmentId: string }) => c.assignmentId)).toEqual([police.assignmentId]);
  });

  it('takes a consultation’s deadline as the due date of the task’s dependent cases, which then open', async () => {
    const dependent = async () =>
      (await http().get('/cases').query({ q: 'du thao nghi dinh' }).set('Authorization', AUDITOR).expect(200)).body.items as { status: string; dueBefore: string | null }[];
    expect((await dependent()).map((c) => [c.status, c.dueBefore])).toEqual([['waiting', null], ['waiting', null]]);
    const deadlineSet = anEnvelope({
      type: 'ConsultationDeadlineSet',
      streamId: 'consultation-1',
      data: { consultationId: 'c-1', planId: '0190a1b2-0000-7000-8000-0000000000aa', taskNumber: '4.a', deadline: '2026-06-15', source: 'ministry-request' },
      metadata: aMetadata(),
    });
    await producer.publish(TOPICS.decreeConsultationEvents, [toMessage(deadlineSet, 'decree-consultation'), toMessage(deadlineSet, 'decree-consultation')]);
    const deadline = Date.now() + 10_000;
    while ((await dependent()).some((c) => c.status !== 'assigned') && Date.now() < deadline) {
      await settle();
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await dependent()).map((c) => [c.status, c.dueBefore])).toEqual([['assigned', '2026-06-15'], ['assigned', '2026-06-15']]);
    const history = (await http().get(`/cases/${(await http().get('/cases').query({ q: 'du thao' }).set('Authorization', JUSTICE)).body.items[0].assignmentId}`).set('Authorization', JUSTICE)).body.history;
    expect(history.filter((e: { type: string }) => e.type === 'AssignmentDueDateSet')).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ dueBefore: '2026-06-15', source: 'consultation', sourceRef: 'c-1' }) }),
    ]);
  });

  it('fulfils the lead’s case with the response document when the consultation’s response is submitted', async () => {
    const response = anEnvelope({
      type: 'ConsultationResponseSubmitted',
      streamId: 'consultation-1',
      data: {
        consultationId: 'c-1', planId: '0190a1b2-0000-7000-8000-0000000000aa', taskNumber: '4.a', leadAgencyId: 'son-la.cong-an-tinh',
        document: { title: 'Văn bản góp ý dự thảo Nghị định', number: '1234/CAT-ANM', date: '2026-06-12', link: 'https://congan.sonla.gov.vn/1234.docx' },
        submittedAt: '2026-06-12T08:00:00.000Z',
      },
      metadata: aMetadata(),
    });
    await producer.publish(TOPICS.decreeConsultationEvents, [toMessage(response, 'decree-consultation'), toMessage(response, 'decree-consultation')]);
    const leadCase = async () =>
      (await http().get('/cases').query({ q: 'du thao nghi dinh' }).set('Authorization', POLICE).expect(200)).body.items[0] as { assignmentId: string; status: string };
    const deadline = Date.now() + 10_000;
    while ((await leadCase()).status !== 'accepted' && Date.now() < deadline) {
      await settle();
      await new Promise((r) => setTimeout(r, 50));
    }
    const history = (await http().get(`/cases/${(await leadCase()).assignmentId}`).set('Authorization', POLICE).expect(200)).body.history;
    expect(history.slice(-2).map((e: { type: string; data: { documentNumber?: string } }) => [e.type, e.data.documentNumber])).toEqual([
      ['AssignmentDeliverableSubmitted', '1234/CAT-ANM'],
      ['AssignmentAccepted', undefined],
    ]);
    expect(history.filter((e: { type: string }) => e.type === 'AssignmentAccepted')).toHaveLength(1);
  });

  it('takes an uploaded file as a deliverable, recording its SHA-256, and serves it only to the case’s parties', async () => {
    const own = await caseOf(EDUCATION);
    const content = Buffer.from('Báo cáo kết quả rà soát văn bản của Sở Giáo dục và Đào tạo', 'utf8');
    const uploaded = await http()
      .post(`/cases/${own.assignmentId}/deliverables/upload`)
      .set('Authorization', EDUCATION)
      .field('title', 'Báo cáo rà soát')
      .field('documentNumber', '12/BC-SGDĐT')
      .attach('file', content, 'bao-cao-ra-soat.txt')
      .expect(201);
    const sha256 = (await import('node:crypto')).createHash('sha256').update(content).digest('hex');
    const history = (await http().get(`/cases/${own.assignmentId}`).set('Authorization', EDUCATION)).body.history;
    expect(history.at(-1)).toMatchObject({ type: 'AssignmentDeliverableSubmitted', data: { title: 'Báo cáo rà soát', file: { name: 'bao-cao-ra-soat.txt', sha256, size: content.length } } });
    await settle();
    const url = `/cases/${own.assignmentId}/deliverables/${uploaded.body.deliverableId}/file`;
    const download = await http().get(url).set('Authorization', POLICE).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(Buffer.compare(download.body as Buffer, content)).toBe(0);
    expect(download.headers['digest']).toBe(`sha-256=${Buffer.from(sha256, 'hex').toString('base64')}`);
    await http().get(url).set('Authorization', JUSTICE).expect(404);
    await http().post(`/cases/${own.assignmentId}/deliverables/upload`).set('Authorization', EDUCATION).field('title', 'x').expect(400);
  });
}
