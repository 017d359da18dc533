/** The consultation service's HTTP suite, run on real PostgreSQL and on the embedded store (two spec files). */
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { issueToken, Role } from '@thihanh/auth';
import { TOPICS } from '@thihanh/contracts';
import { ManualClock } from '@thihanh/domain';
import { Database } from '@thihanh/event-store';
import { configureHttpApp } from '@thihanh/http';
import { InProcessMessageBus, toMessage } from '@thihanh/messaging';
import { docxText } from '@thihanh/plan-document';
import { BackgroundWorkers, loadConfig } from '@thihanh/platform';
import { aMetadata, anEnvelope, docxOfLines } from '@thihanh/testing';
import request from 'supertest';
import { AppModule } from '../app.module';
import { DecreeConsultationConfig } from '../config';
import { ConsultationScheduler } from '../scheduler/consultation-scheduler';
import { binaryBody, draftDecreeText, issuedSeed, TestStore } from '@thihanh/fixtures';

const SECRET = '0123456789abcdef0123456789abcdef';
const token = (agencyId: string, ...roles: Role[]) =>
  `Bearer ${issueToken([{ kid: 't', secret: SECRET }], { agencyId, clientId: `${agencyId}-client`, roles, ttlSeconds: 3600 })}`;
const POLICE = token('son-la.cong-an-tinh', 'coordinator');
const POLICE_MEMBER = token('son-la.cong-an-tinh', 'member');
const JUSTICE = token('son-la.so-tu-phap', 'member');
const FINANCE = token('son-la.so-tai-chinh', 'member');
const OUTSIDER = token('bac-ninh.so-tu-phap', 'member', 'coordinator');
const AUDITOR = token('national.thanh-tra-chinh-phu', 'auditor');
const OPERATOR = token('son-la.ubnd-tinh', 'operator');
const PLAN_ID = '0190a1b2-0000-7000-8000-0000000000bb';


export function consultationSuite(open: () => Promise<TestStore>) {
  let store: TestStore;
  let app: INestApplication;
  let db: Database;
  const clock = new ManualClock('2026-05-26T02:00:00.000Z'); // 26 May 2026, 09:00 in Vietnam
  const http = () => request(app.getHttpServer());
  const settle = () => app.get(BackgroundWorkers).projection('consultation-board').catchUp();
  const eventCount = async () => Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM es_events`)).rows[0].n);
  let id: string;
  let url: string;
  const bus = new InProcessMessageBus();

  beforeAll(async () => {
    store = await open();
    db = store.db;
    const config = loadConfig(DecreeConsultationConfig, { ...(store.url ? { DATABASE_URL: store.url } : {}), THIHANH_AUTH_KEYS: `t:${SECRET}`, LOG_LEVEL: 'warn', SCHEDULER_INTERVAL_MS: '0' });
    const ref = await Test.createTestingModule({ imports: [AppModule.forRoot(config, { bus, clock, database: store.embedded })] }).compile();
    app = ref.createNestApplication({ bodyParser: false });
    configureHttpApp(app, { title: 'decree-consultation', version: 'test' });
    await app.init();
    const producer = await bus.createProducer();
    const issued = anEnvelope({ type: 'PlanIssued', streamId: `plan-${PLAN_ID}`, data: { planId: PLAN_ID, planVersion: 1, content: issuedSeed('son-la-plan.txt') }, metadata: aMetadata() });
    // Delivered twice, as Kafka may: the second delivery opens nothing.
    await producer.publish(TOPICS.planRegistryEvents, [toMessage(issued, 'plan-registry'), toMessage(issued, 'plan-registry')]);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      await settle();
      if ((await http().get('/consultations').set('Authorization', AUDITOR)).body.items.length === 10) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const list = (await http().get('/consultations').query({ q: 'quy dinh chi tiet mot so dieu cua luat an ninh mang' }).set('Authorization', POLICE).expect(200)).body.items;
    id = list.find((c: { taskNumber: string }) => c.taskNumber === '4.a').consultationId;
    url = `/consultations/${id}`;
  }, 90_000);

  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  it('opens one consultation per draft in the issued plan, once, and shows each agency only those it takes part in', async () => {
    const all = (await http().get('/consultations').set('Authorization', AUDITOR).expect(200)).body.items;
    expect(all.map((c: { taskNumber: string }) => c.taskNumber).sort()).toEqual(['4.a', '4.b', '4.c', '4.d', '4.e', '4.g', '4.h', '4.i', '4.đ', '5']);
    expect(Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM es_events WHERE event_type = 'ConsultationOpened'`)).rows[0].n)).toBe(10);
    expect(all.every((c: { status: string; deadline: string | null }) => c.status === 'open' && c.deadline === null)).toBe(true);
    const military = (await http().get('/consultations').set('Authorization', token('son-la.bo-chi-huy-quan-su-tinh', 'coordinator')).expect(200)).body.items;
    expect(military.filter((c: { leads: boolean }) => c.leads).map((c: { taskNumber: string }) => c.taskNumber)).toEqual(['4.g']);
    expect((await http().get('/consultations').set('Authorization', OUTSIDER).expect(200)).body.items).toEqual([]);
    await http().get(url).set('Authorization', OUTSIDER).expect(404);
  });

  it('runs a consultation from the ministry’s request to the submitted response, with comments following a new draft', async () => {
    // The ministry's request fixes the deadline; the lead uploads the draft.
    const request1 = { number: '1520/BCA-A05', date: '2026-05-25', ministry: 'Bộ Công an' };
    await http().post(`${url}/deadline`).set('Authorization', POLICE).send({ deadline: '2026-06-15', source: 'ministry-request', request: request1 }).expect(200);
    const v1 = await http().post(`${url}/drafts`).set('Authorization', POLICE).attach('file', docxOfLines(draftDecreeText(1)), 'du-thao-1.docx').expect(201);
    expect(v1.body.draftVersion).toBe(1);
    const structure = (await http().get(`${url}/drafts/1`).set('Authorization', JUSTICE).expect(200)).body;
    expect(structure.articles.map((a: { id: string }) => a.id)).toEqual(['dieu-1', 'dieu-2', 'dieu-3', 'dieu-4', 'dieu-5', 'dieu-6', 'dieu-7', 'dieu-8']);
    expect(structure.articles[3].clauses[0].points.map((p: { letter: string }) => p.letter)).toEqual(['a', 'b', 'c']);

    // Coordinating agencies answer: comments on places, a general one, an explicit "no comment".
    const onDeadline = (await http().post(`${url}/comments`).set('Authorization', JUSTICE).send({ anchor: 'dieu-4.khoan-2', text: 'Đề nghị rút ngắn thời hạn thẩm định xuống 20 ngày.' }).expect(201)).body.commentId;
    const onPoint = (await http().post(`${url}/comments`).set('Authorization', JUSTICE).send({ anchor: 'dieu-6.khoan-1.diem-a', text: 'Đề nghị bổ sung "sự cố nghiêm trọng".' }).expect(201)).body.commentId;
    const general = (await http().post(`${url}/comments`).set('Authorization', JUSTICE).send({ text: 'Thống nhất với bố cục dự thảo.' }).expect(201)).body.commentId;
    await http().post(`${url}/no-comment`).set('Authorization', FINANCE).expect(201);
    const noPlace = await http().post(`${url}/comments`).set('Authorization', JUSTICE).send({ anchor: 'dieu-40', text: 'x' }).expect(400);
    expect(noPlace.body.code).toBe('CONSULTATION.NO_SUCH_PLACE');

    const answers = (await http().get(`${url}/answers`).set('Authorization', POLICE).expect(200)).body;
    expect(answers.totals).toEqual({ commented: 1, noComment: 1, none: 87 });
    expect(answers.items.find((a: { agencyId: string }) => a.agencyId === 'son-la.so-tu-phap')).toMatchObject({ answer: 'commented', comments: 3, agencyName: 'Sở Tư pháp tỉnh Sơn La' });
    // An agency sees its own line and its own comments only.
    expect((await http().get(`${url}/answers`).set('Authorization', FINANCE).expect(200)).body.items).toEqual([
      expect.objectContaining({ agencyId: 'son-la.so-tai-chinh', answer: 'no-comment' }),
    ]);
    expect((await http().get(`${url}/comments`).set('Authorization', FINANCE).expect(200)).body.items).toHaveLength(1);

    // A second draft: unchanged places keep their comments, renumbered ones follow, changed ones are flagged.
    await http().post(`${url}/drafts`).set('Authorization', POLICE).attach('file', Buffer.from(draftDecreeText(2)), 'du-thao-2.txt').expect(201);
    const comments = (await http().get(`${url}/comments`).set('Authorization', POLICE).expect(200)).body.items as { commentId: string; anchor: string; linkStatus: string; place: string }[];
    const byId = new Map(comments.map((c) => [c.commentId, c]));
    expect(byId.get(onDeadline)).toMatchObject({ anchor: 'dieu-4.khoan-2', linkStatus: 'flagged' });
    expect(byId.get(onPoint)).toMatchObject({ anchor: 'dieu-7.khoan-1.diem-a', linkStatus: 'linked', place: 'điểm a khoản 1 Điều 7' });
    const diff = (await http().get(`${url}/diff`).query({ from: 1, to: 2 }).set('Authorization', JUSTICE).expect(200)).body.articles as { status: string; before: number | null; after: number | null }[];
    expect(diff.filter((a) => a.status !== 'unchanged').map((a) => [a.status, a.before, a.after])).toEqual([['changed', 4, 4], ['added', null, 5], ['changed', 6, 7]]);

    // The agency revisits its flagged comment; withdraws the general one.
    await http().put(`${url}/comments/${onDeadline}`).set('Authorization', JUSTICE).send({ anchor: 'dieu-4.khoan-2', text: 'Thống nhất thời hạn 20 ngày.' }).expect(200);
    await http().post(`${url}/comments/${general}/withdraw`).set('Authorization', JUSTICE).expect(200);
    const notYours = await http().post(`${url}/comments/${onPoint}/withdraw`).set('Authorization', FINANCE).expect(403);
    expect(notYours.body.code).toBe('CONSULTATION.NOT_YOUR_COMMENT');

    // The lead decides, writes and exports the response, then submits it.
    await http().post(`${url}/comments/${onDeadline}/decision`).set('Authorization', POLICE).send({ decision: 'accepted' }).expect(200);
    const response = {
      parentAuthority: 'BỘ CÔNG AN', issuer: 'CÔNG AN TỈNH SƠN LA', symbol: 'CAT-ANM', place: 'Sơn La',
      summary: 'V/v góp ý dự thảo Nghị định quy định chi tiết một số điều của Luật An ninh mạng',
      addressees: ['Bộ Công an (Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao)'],
      body: 'Thực hiện Công văn số 1520/BCA-A05 ngày 25/5/2026 của Bộ Công an, Công an tỉnh Sơn La tổng hợp ý kiến góp ý như sau:\nĐề nghị Bộ Công an nghiên cứu, tiếp thu.',
      recipients: ['Như trên', 'UBND tỉnh (để b/c)', 'Lưu: VT, ANM'],
      signer: { authority: 'KT. GIÁM ĐỐC', title: 'PHÓ GIÁM ĐỐC', name: 'Nguyễn Văn An' },
    };
    await http().put(`${url}/response`).set('Authorization', POLICE).send(response).expect(200);
    const undecided = await http().post(`${url}/response/submit`).set('Authorization', POLICE).send({ number: '125/CAT-ANM', date: '2026-06-18' }).expect(409);
    expect(undecided.body).toMatchObject({ code: 'CONSULTATION.UNDECIDED_COMMENTS', details: { commentIds: [onPoint] } });
    await http().post(`${url}/comments/${onPoint}/decision`).set('Authorization', POLICE).send({ decision: 'not-accepted' }).expect(400);
    await http().post(`${url}/comments/${onPoint}/decision`).set('Authorization', POLICE).send({ decision: 'partly-accepted', reason: 'Đã quy định tại Điều 5 (mới)' }).expect(200);

    const preview = await http().get(`${url}/response.docx`).set('Authorization', POLICE).buffer(true).parse(binaryBody).expect(200);
    expect(docxText(preview.body)).toContain('Số:');
    const submitted = await http().post(`${url}/response/submit`).set('Authorization', POLICE).send({ number: '125/CAT-ANM', date: '2026-06-18' }).expect(200);
    expect(submitted.body).toMatchObject({ status: 'responded', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });

    // The sent document, opened back: letterhead, number and date, addressee, text, the table of comments, recipients, signer.
    const sent = await http().get(`${url}/response.docx`).set('Authorization', AUDITOR).buffer(true).parse(binaryBody).expect(200);
    expect(sent.headers['digest']).toBe(`sha-256=${Buffer.from(submitted.body.sha256, 'hex').toString('base64')}`);
    const text = docxText(sent.body);
    for (const line of [
      'BỘ CÔNG AN', 'CÔNG AN TỈNH SƠN LA', 'Số: 125/CAT-ANM', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc',
      'Sơn La, ngày 18 tháng 6 năm 2026', 'V/v góp ý dự thảo Nghị định quy định chi tiết một số điều của Luật An ninh mạng',
      'Bộ Công an (Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao)',
      'Thực hiện Công văn số 1520/BCA-A05 ngày 25/5/2026 của Bộ Công an, Công an tỉnh Sơn La tổng hợp ý kiến góp ý như sau:',
      'Đề nghị Bộ Công an nghiên cứu, tiếp thu.',
      '| 1 | khoản 2 Điều 4 | Sở Tư pháp tỉnh Sơn La | Thống nhất thời hạn 20 ngày. | Tiếp thu |',
      '| 2 | điểm a khoản 1 Điều 7 | Sở Tư pháp tỉnh Sơn La | Đề nghị bổ sung "sự cố nghiêm trọng". | Tiếp thu một phần: Đã quy định tại Điều 5 (mới) |',
      'Các cơ quan không có ý kiến: Sở Tài chính tỉnh Sơn La.', '- Như trên;', '- Lưu: VT, ANM.', 'KT. GIÁM ĐỐC', 'PHÓ GIÁM ĐỐC', 'Nguyễn Văn An',
    ]) {
      expect(text).toContain(line);
    }
    expect(text).not.toContain('Thống nhất với bố cục dự thảo.'); // withdrawn

    // Responded: comments are closed; the decree's issue closes the case.
    const late = await http().post(`${url}/comments`).set('Authorization', FINANCE).send({ text: 'Bổ sung' }).expect(409);
    expect(late.body.code).toBe('CONSULTATION.TRANSITION_NOT_ALLOWED');
    await http().post(`${url}/close`).set('Authorization', POLICE).send({ number: '53/2026/NĐ-CP', date: '2026-08-01' }).expect(200);
    const closed = (await http().get(url).set('Authorization', JUSTICE).expect(200)).body;
    expect(closed).toMatchObject({ status: 'closed', issued: { number: '53/2026/NĐ-CP', date: '2026-08-01' }, submitted: { number: '125/CAT-ANM', date: '2026-06-18' } });
    expect(closed.history.at(-1)).toMatchObject({ type: 'ConsultationClosed', actor: { agencyId: 'son-la.cong-an-tinh' } });
  });

  it('refuses comments once the deadline’s day has begun, changing nothing', async () => {
    const other = (await http().get('/consultations').set('Authorization', POLICE).expect(200)).body.items.find((c: { taskNumber: string }) => c.taskNumber === '4.b');
    const otherUrl = `/consultations/${other.consultationId}`;
    clock.set('2026-05-27T02:00:00.000Z');
    await http().post(`${otherUrl}/deadline`).set('Authorization', OPERATOR).send({ deadline: '2026-06-10', source: 'operator' }).expect(200);
    const comment = (await http().post(`${otherUrl}/comments`).set('Authorization', JUSTICE).send({ text: 'Ý kiến đúng hạn' }).expect(201)).body.commentId;
    clock.set('2026-06-09T17:00:00.000Z'); // 00:00 on 10 June in Vietnam
    const before = await eventCount();
    for (const [method, path, body] of [
      ['post', 'comments', { text: 'Ý kiến muộn' }], ['post', 'no-comment', undefined],
      ['put', `comments/${comment}`, { text: 'Sửa muộn' }], ['post', `comments/${comment}/withdraw`, undefined],
    ] as const) {
      const refused = await http()[method](`${otherUrl}/${path}`).set('Authorization', JUSTICE).send(body).expect(409);
      expect(refused.body).toMatchObject({ code: 'CONSULTATION.DEADLINE_PASSED', details: { deadline: '2026-06-10', today: '2026-06-10' } });
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    expect(await eventCount()).toBe(before);
    const comments = (await http().get(`${otherUrl}/comments`).set('Authorization', POLICE).expect(200)).body.items;
    expect(comments).toEqual([expect.objectContaining({ commentId: comment, text: 'Ý kiến đúng hạn', withdrawn: false })]);
  });

  it('lets only coordinating agencies comment, only the lead consolidate, and auditors read without acting', async () => {
    const other = (await http().get('/consultations').set('Authorization', POLICE).expect(200)).body.items.find((c: { taskNumber: string }) => c.taskNumber === '4.c');
    const otherUrl = `/consultations/${other.consultationId}`;
    clock.set('2026-05-27T02:00:00.000Z');
    const before = await eventCount();
    const lead = await http().post(`${otherUrl}/comments`).set('Authorization', POLICE_MEMBER).send({ text: 'x' }).expect(403);
    expect(lead.body.code).toBe('CONSULTATION.NOT_A_COORDINATOR');
    const outsider = await http().post(`${otherUrl}/comments`).set('Authorization', OUTSIDER).send({ text: 'x' }).expect(404);
    expect(outsider.body.code).toBe('CONSULTATION.NOT_FOUND');
    await http().post(`${otherUrl}/comments`).set('Authorization', AUDITOR).send({ text: 'x' }).expect(403);
    const notLead = await http().post(`${otherUrl}/deadline`).set('Authorization', token('son-la.so-tu-phap', 'coordinator')).send({ deadline: '2026-06-30', source: 'operator' }).expect(403);
    expect(notLead.body.code).toBe('CONSULTATION.FORBIDDEN');
    await http().put(`${otherUrl}/response`).set('Authorization', JUSTICE).send({}).expect(403); // a member never writes it
    await http().put(`${otherUrl}/response`).set('Authorization', POLICE).send({ issuer: 'CÔNG AN TỈNH SƠN LA' }).expect(400);
    await http().post(`${otherUrl}/comments`).set('Authorization', JUSTICE).send({ anchor: 'Điều 5', text: 'x' }).expect(400);
    await http().post(`${otherUrl}/comments`).set('Authorization', JUSTICE).send({ text: 'x', extra: true }).expect(400);
    expect(await eventCount()).toBe(before);
    await http().get(otherUrl).set('Authorization', AUDITOR).expect(200);
  });

  it('follows an amended plan: a dropped task’s consultation is cancelled, changed parties are recorded, once', async () => {
    const content = issuedSeed('son-la-plan.txt');
    const amended = {
      ...content,
      tasks: content.tasks
        .filter((t) => t.number !== '4.i')
        .map((t) => (t.number === '4.h' ? { ...t, coordinators: [{ name: 'Sở Tư pháp', agencyId: 'son-la.so-tu-phap', group: false }] } : t)),
    };
    const event = anEnvelope({
      type: 'PlanAmended', streamId: `plan-${PLAN_ID}`, streamVersion: 3,
      data: { planId: PLAN_ID, planVersion: 2, reason: 'Bỏ nhiệm vụ 4.i', content: amended, diff: { added: [], removed: ['4.i'], changed: [{ number: '4.h', fields: ['coordinators'] }], fields: [] } },
      metadata: aMetadata(),
    });
    const producer = await bus.createProducer();
    await producer.publish(TOPICS.planRegistryEvents, [toMessage(event, 'plan-registry'), toMessage(event, 'plan-registry')]);
    const byTask = async () => {
      await settle();
      const items = (await http().get('/consultations').query({ planId: PLAN_ID }).set('Authorization', AUDITOR).expect(200)).body.items as { taskNumber: string; status: string; consultationId: string; coordinators: number }[];
      return new Map(items.map((c) => [c.taskNumber, c]));
    };
    const deadline = Date.now() + 20_000;
    while ((await byTask()).get('4.i')?.status !== 'cancelled' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const after = await byTask();
    expect(after.get('4.i')?.status).toBe('cancelled');
    expect(after.get('4.h')).toMatchObject({ status: 'open', coordinators: 1 });
    const { rows } = await db.query<{ type: string; n: string }>(
      `SELECT event_type AS type, count(*) AS n FROM es_events WHERE event_type IN ('ConsultationCancelled', 'ConsultationPartiesChanged') GROUP BY 1 ORDER BY 1`,
    );
    expect(rows).toEqual([{ type: 'ConsultationCancelled', n: '1' }, { type: 'ConsultationPartiesChanged', n: '1' }]);
    const financeSees = (await http().get(`/consultations/${after.get('4.h')!.consultationId}`).set('Authorization', FINANCE)).status;
    expect(financeSees).toBe(404); // no longer asked to comment
  });

  it('lets an operator open a consultation no plan called for', async () => {
    const opened = await http().post('/consultations').set('Authorization', OPERATOR).send({
      draftType: 'Thông tư', draftTitle: 'Thông tư hướng dẫn thẩm định an ninh mạng', draftingMinistry: 'Bộ Công an',
      leadAgencyId: 'son-la.cong-an-tinh', coordinatorAgencyIds: ['son-la.so-tu-phap', 'son-la.so-tai-chinh'], deadline: '2026-07-20',
    }).expect(201);
    expect(opened.headers['location']).toBe(`/consultations/${opened.body.consultationId}`);
    const got = (await http().get(`/consultations/${opened.body.consultationId}`).set('Authorization', JUSTICE).expect(200)).body;
    expect(got).toMatchObject({ planId: null, taskNumber: null, draft: { type: 'Thông tư' }, deadline: '2026-07-20', status: 'open' });
    await http().post('/consultations').set('Authorization', POLICE).send({ draftType: 'x', draftTitle: 'x', leadAgencyId: 'son-la.cong-an-tinh', coordinatorAgencyIds: ['son-la.so-tu-phap'] }).expect(403);
    const bad = await http().post('/consultations').set('Authorization', OPERATOR).send({ draftType: 'Thông tư', draftTitle: 'x', leadAgencyId: 'Công an tỉnh', coordinatorAgencyIds: [] }).expect(400);
    expect(bad.body.code).toBeDefined();
  });

  it('reminds agencies that have not answered before the deadline, once each, and lists who never did', async () => {
    const other = (await http().get('/consultations').set('Authorization', POLICE).expect(200)).body.items.find((c: { taskNumber: string }) => c.taskNumber === '4.d');
    const otherUrl = `/consultations/${other.consultationId}`;
    clock.set('2026-05-27T02:00:00.000Z');
    await http().post(`${otherUrl}/deadline`).set('Authorization', POLICE).send({ deadline: '2026-06-20', source: 'operator' }).expect(200);
    await http().post(`${otherUrl}/no-comment`).set('Authorization', FINANCE).expect(201);
    await settle();
    const scheduler = app.get(ConsultationScheduler);
    const types = async () => (await http().get(otherUrl).set('Authorization', POLICE)).body.history.map((e: { type: string }) => e.type) as string[];
    for (const day of ['2026-06-12', '2026-06-13', '2026-06-13', '2026-06-19', '2026-06-20', '2026-06-21']) {
      clock.set(`${day}T02:00:00.000Z`);
      await scheduler.tick();
    }
    expect((await types()).filter((t) => t.startsWith('ConsultationReminder') || t === 'ConsultationDeadlinePassed')).toEqual([
      'ConsultationReminderSent', 'ConsultationReminderSent', 'ConsultationDeadlinePassed',
    ]);
    const { rows } = await db.query<{ data: { daysLeft?: number; agencyIds?: string[]; unansweredAgencyIds?: string[] } }>(
      `SELECT data FROM es_events WHERE stream_id = $1 AND event_type IN ('ConsultationReminderSent', 'ConsultationDeadlinePassed') ORDER BY stream_version`,
      [`consultation-${other.consultationId}`],
    );
    expect(rows.map((r) => r.data.daysLeft ?? 0)).toEqual([7, 1, 0]);
    expect(rows[0].data.agencyIds).toHaveLength(88);
    expect(rows[0].data.agencyIds).not.toContain('son-la.so-tai-chinh');
    expect(rows[2].data.unansweredAgencyIds).toHaveLength(88);
  });
}

