import { spawnSync } from 'node:child_process';
import { INestApplication } from '@nestjs/common';
import { issueToken, Role } from '@thihanh/auth';
import { binaryBody, eventually, issuedSeed, startTestApp } from '@thihanh/fixtures';
import { TOPICS } from '@thihanh/contracts';
import { ManualClock } from '@thihanh/domain';
import { PgDatabase } from '@thihanh/event-store';
import { InProcessMessageBus, toMessage } from '@thihanh/messaging';
import { docxText } from '@thihanh/plan-document';
import { BackgroundWorkers, loadConfig } from '@thihanh/platform';
import { aMetadata, anEnvelope, createTestDatabase, describeWithPostgres, dropTestDatabase, TestDatabase } from '@thihanh/testing';
import request from 'supertest';
import { AppModule as DecreeConsultation } from '../../services/decree-consultation/src/app.module';
import { DecreeConsultationConfig } from '../../services/decree-consultation/src/config';
import { AppModule as Reporting } from '../../services/reporting/src/app.module';
import { ReportingConfig } from '../../services/reporting/src/config';
import { roundIdOf } from '../../services/reporting/src/round/reporting-periods';
import { RoundScheduler } from '../../services/reporting/src/scheduler/round-scheduler';
import { AppModule as TaskAssignment } from '../../services/task-assignment/src/app.module';
import { TaskAssignmentConfig } from '../../services/task-assignment/src/config';

const SECRET = '0123456789abcdef0123456789abcdef';
const token = (agencyId: string, ...roles: Role[]) =>
  `Bearer ${issueToken([{ kid: 't', secret: SECRET }], { agencyId, clientId: `${agencyId}-client`, roles, ttlSeconds: 3600 })}`;
const POLICE_ID = 'bac-ninh.cong-an-tinh';
const POLICE = token(POLICE_ID, 'coordinator');
const AUDITOR = token('national.thanh-tra-chinh-phu', 'auditor');
const OPERATOR = token('bac-ninh.ubnd-tinh', 'operator');
const MINISTRY = token('national.bo-cong-an', 'coordinator');
const PLAN_ID = '0190a1b2-0000-7000-8000-0000000000b1';
const SON_LA_PLAN_ID = '0190a1b2-0000-7000-8000-0000000000a1';
const TASK4 = [
  'bac-ninh.cong-an-tinh', 'bac-ninh.van-phong-ubnd-tinh', 'bac-ninh.thanh-tra-tinh', 'bac-ninh.bo-chi-huy-quan-su-tinh', 'bac-ninh.so-noi-vu',
  'bac-ninh.so-tai-chinh', 'bac-ninh.so-tu-phap', 'bac-ninh.so-xay-dung', 'bac-ninh.so-cong-thuong', 'bac-ninh.so-nong-nghiep-va-moi-truong',
  'bac-ninh.so-khoa-hoc-va-cong-nghe', 'bac-ninh.so-giao-duc-va-dao-tao', 'bac-ninh.so-y-te', 'bac-ninh.so-van-hoa-the-thao-va-du-lich',
  'bac-ninh.so-dan-toc-va-ton-giao', 'bac-ninh.ban-quan-ly-cac-khu-cong-nghiep', 'bac-ninh.bao-va-phat-thanh-truyen-hinh',
];



/**
 * A year of the Bắc Ninh plan (632 cases), scripted day by day through task assignment's API, with
 * reporting following its events: work done on time, late and not at all; an ad-hoc request; the
 * yearly round with one report returned and resubmitted and two agencies late; the province's report
 * issued — and the same figures after every read model is rebuilt from the kept events.
 */
describeWithPostgres('a year of the Bắc Ninh plan, reported', () => {
  const databases: TestDatabase[] = [];
  const clock = new ManualClock('2026-04-20T02:00:00.000Z');
  const bus = new InProcessMessageBus();
  let cases: INestApplication;
  let consultations: INestApplication;
  let reporting: INestApplication;
  let reportingDb: PgDatabase;
  let casesDb: PgDatabase;
  const on = (day: string) => clock.set(`${day}T02:00:00.000Z`); // 09:00 in Vietnam
  const tasks = () => request(cases.getHttpServer());
  const reports = () => request(reporting.getHttpServer());

  /** Reporting has seen every event task assignment has published so far. */
  const settled = async () => {
    const count = async (db: PgDatabase, sql: string) => Number((await db.query<{ n: string }>(sql)).rows[0].n);
    const target = await count(casesDb, `SELECT count(*) AS n FROM es_events`);
    await eventually(() => count(reportingDb, `SELECT count(*) AS n FROM rp_source_events WHERE source = 'task-assignment'`), (n) => n >= target, 'reporting to catch up');
    await reporting.get(BackgroundWorkers).projection('rounds').catchUp();
  };
  const tick = async () => {
    await settled();
    return reporting.get(RoundScheduler).tick();
  };

  /** An agency acknowledges its case of a task, hands the work in on one day, and the police accept it on another. */
  const finish = async (agencyId: string, taskNumber: string, handedIn: string, accepted: string) => {
    const member = token(agencyId, 'member');
    const own = (await tasks().get('/cases').query({ planId: PLAN_ID, limit: 500 }).set('Authorization', member).expect(200)).body.items;
    const { assignmentId } = own.find((c: { taskNumber: string }) => c.taskNumber === taskNumber);
    on(handedIn);
    await tasks().post(`/cases/${assignmentId}/acknowledge`).set('Authorization', member).send({ focalPoint: { name: 'Đầu mối' } }).expect(200);
    await tasks().post(`/cases/${assignmentId}/deliverables`).set('Authorization', member).send({ title: `Báo cáo nhiệm vụ ${taskNumber}`, link: 'https://bacninh.gov.vn/bc' }).expect(201);
    on(accepted);
    await tasks().post(`/cases/${assignmentId}/accept`).set('Authorization', POLICE).send({}).expect(200);
  };

  beforeAll(async () => {
    for (let i = 0; i < 3; i += 1) databases.push(await createTestDatabase([]));
    for (const db of databases) await db.dataSource.destroy();
    // The schedulers run when the test ticks them, on its clock, never by themselves in between.
    const common = { THIHANH_AUTH_KEYS: `t:${SECRET}`, LOG_LEVEL: 'warn', SCHEDULER_INTERVAL_MS: '0' };
    cases = await startTestApp(TaskAssignment.forRoot(loadConfig(TaskAssignmentConfig, { ...common, DATABASE_URL: databases[0].url }), { bus, clock }));
    reporting = await startTestApp(Reporting.forRoot(loadConfig(ReportingConfig, { ...common, DATABASE_URL: databases[1].url }), { bus, clock }));
    consultations = await startTestApp(DecreeConsultation.forRoot(loadConfig(DecreeConsultationConfig, { ...common, DATABASE_URL: databases[2].url }), { bus, clock }));
    casesDb = PgDatabase.fromUrl(databases[0].url, { max: 2 });
    reportingDb = PgDatabase.fromUrl(databases[1].url, { max: 2 });
    const producer = await bus.createProducer();
    const content = { ...issuedSeed('bac-ninh-plan.txt'), number: '125/KH-UBND', issuedOn: '2026-04-20' };
    const issued = anEnvelope({ type: 'PlanIssued', streamId: `plan-${PLAN_ID}`, data: { planId: PLAN_ID, planVersion: 1, content }, metadata: aMetadata(), source: 'plan-registry' });
    // Sơn La's plan too, untouched all year: the ministry's roll-up adds the two provinces.
    const sonLa = { ...issuedSeed('son-la-plan.txt'), number: '215/KH-UBND', issuedOn: '2026-04-20' };
    const sonLaIssued = anEnvelope({ type: 'PlanIssued', streamId: `plan-${SON_LA_PLAN_ID}`, data: { planId: SON_LA_PLAN_ID, planVersion: 1, content: sonLa }, metadata: aMetadata(), source: 'plan-registry' });
    await producer.publish(TOPICS.planRegistryEvents, [toMessage(issued, 'plan-registry'), toMessage(sonLaIssued, 'plan-registry')]);
    await eventually(async () => (await reports().get(`/plans/${PLAN_ID}/figures`).set('Authorization', AUDITOR)).body.figures?.total, (n) => n === 632, 'the 632 cases in reporting');
    await eventually(async () => (await reports().get(`/plans/${SON_LA_PLAN_ID}/figures`).set('Authorization', AUDITOR)).body.figures?.total, (n) => n === 1251, 'Sơn La’s 1,251 cases');
  }, 120_000);

  afterAll(async () => {
    await reportingDb?.close();
    await casesDb?.close();
    await reporting?.close();
    await consultations?.close();
    await cases?.close();
    for (const db of databases) await dropTestDatabase(db);
  });

  it('produces exactly the expected figures, reports and reminders, and the same after a rebuild', async () => {
    const yearly = roundIdOf(PLAN_ID, 'yearly', '2026');
    on('2026-04-21');
    await tick();
    await settled();
    const round = (await reports().get(`/rounds/${yearly}`).set('Authorization', POLICE).expect(200)).body;
    expect(round).toMatchObject({ title: 'Báo cáo kết quả thực hiện năm 2026', period: { from: '2026-01-01', to: '2026-12-31' }, dueBefore: '2027-01-15', coordinatorAgencyId: POLICE_ID });
    expect(round.agencies).toHaveLength(115); // every agency with a case, the police (who receive the reports) aside
    await tick();
    const rounds = (await reports().get('/rounds').set('Authorization', AUDITOR).expect(200)).body.items;
    expect(rounds.map((r: { planId: string; dueBefore: string }) => [r.planId, r.dueBefore]).sort()).toEqual([[SON_LA_PLAN_ID, '2026-11-15'], [PLAN_ID, '2027-01-15']].sort());
    // The police of Bắc Ninh see only their own province's round.
    expect((await reports().get('/rounds').set('Authorization', POLICE).expect(200)).body.items.map((r: { roundId: string }) => r.roundId)).toEqual([yearly]);

    // The work of the year. Task 4.b: all 17 on time; 4.c: 10 of 17 on time, 7 never; 4.d: all 17 late;
    // task 2: the police's own case, handed in before its due date (15/1/2027).
    // Draft decree 4.a: one comment, one "no comment"; the police's response fulfils their own case of 4.a.
    on('2026-06-10');
    const draft = (await eventually(
      async () => (await request(consultations.getHttpServer()).get('/consultations').query({ planId: PLAN_ID }).set('Authorization', POLICE)).body.items ?? [],
      (items) => items.length === 10,
      'the ten consultations',
    )).find((c: { taskNumber: string }) => c.taskNumber === '4.a');
    const consultation = `/consultations/${draft.consultationId}`;
    const comment = (await request(consultations.getHttpServer()).post(`${consultation}/comments`).set('Authorization', token('bac-ninh.so-tu-phap', 'member')).send({ text: 'Đề nghị làm rõ thẩm quyền cấp xã.' }).expect(201)).body.commentId;
    await request(consultations.getHttpServer()).post(`${consultation}/no-comment`).set('Authorization', token('bac-ninh.so-tai-chinh', 'member')).expect(201);
    on('2026-06-25');
    await request(consultations.getHttpServer()).post(`${consultation}/comments/${comment}/decision`).set('Authorization', POLICE).send({ decision: 'accepted' }).expect(200);
    await request(consultations.getHttpServer()).put(`${consultation}/response`).set('Authorization', POLICE).send({
      issuer: 'CÔNG AN TỈNH BẮC NINH', place: 'Bắc Ninh', summary: 'V/v góp ý dự thảo Nghị định', addressees: ['Bộ Công an'], body: 'Công an tỉnh Bắc Ninh góp ý như sau.',
      recipients: ['Như trên', 'Lưu: VT'], signer: { title: 'GIÁM ĐỐC', name: 'Nguyễn Văn B' },
    }).expect(200);
    await request(consultations.getHttpServer()).post(`${consultation}/response/submit`).set('Authorization', POLICE).send({ number: '45/CAT-ANM', date: '2026-06-25' }).expect(200);
    await eventually(
      async () => ((await tasks().get('/cases').query({ planId: PLAN_ID, limit: 500 }).set('Authorization', token(POLICE_ID, 'member'))).body.items ?? []).find((c: { taskNumber: string }) => c.taskNumber === '4.a')?.status,
      (status) => status === 'accepted',
      'the police’s case of 4.a fulfilled',
    );

    for (const agency of TASK4) await finish(agency, '4.b', '2026-06-20', '2026-06-25');
    for (const agency of TASK4.slice(0, 10)) await finish(agency, '4.c', '2026-06-28', '2026-06-29');
    for (const agency of TASK4) await finish(agency, '4.d', '2026-07-05', '2026-07-06');
    await finish(POLICE_ID, '2', '2026-12-01', '2026-12-02');
    await settled();

    // An ad-hoc request about task 4, as of the end of August.
    on('2026-09-01');
    const adhoc = (await reports().post(`/plans/${PLAN_ID}/rounds`).set('Authorization', POLICE).send({
      title: 'Báo cáo đột xuất kết quả tham gia ý kiến dự thảo Nghị định', dueBefore: '2026-09-15', period: { from: '2026-01-01', to: '2026-08-31' }, taskNumbers: ['4'],
    }).expect(201)).body;
    expect(adhoc.agencies).toBe(16);
    await reports().post(`/plans/${PLAN_ID}/rounds`).set('Authorization', token('bac-ninh.so-tu-phap', 'coordinator')).send({ title: 'x', dueBefore: '2026-09-15' }).expect(403);
    on('2026-09-10');
    const narrative = { results: 'Đã tham gia ý kiến đầy đủ các dự thảo.', difficulties: '', proposals: '' };
    for (const agency of ['bac-ninh.so-tu-phap', 'bac-ninh.so-tai-chinh', 'bac-ninh.so-y-te']) {
      const mine = (await reports().get(`/rounds/${adhoc.roundId}/reports/mine`).set('Authorization', token(agency, 'member')).expect(200)).body;
      expect(mine.figures).toEqual({ total: 9, doneOnTime: agency === 'bac-ninh.so-y-te' ? 1 : 2, doneLate: 1, openOnTime: 0, openOverdue: agency === 'bac-ninh.so-y-te' ? 7 : 6, waiting: 0 });
      await reports().post(`/rounds/${adhoc.roundId}/reports/mine/submit`).set('Authorization', token(agency, 'member')).send(narrative).expect(200);
      await reports().post(`/rounds/${adhoc.roundId}/reports/${agency}/accept`).set('Authorization', POLICE).expect(200);
    }
    await settled();
    const adhocReport = (await reports().get(`/rounds/${adhoc.roundId}/provincial-report`).set('Authorization', POLICE).expect(200)).body.compiled;
    expect(adhocReport.figures).toMatchObject({ total: 153, doneOnTime: 28, doneLate: 17, openOnTime: 0, openOverdue: 108, waiting: 0 });
    expect(adhocReport.reporting).toMatchObject({ asked: 16, submitted: 3, accepted: 3, missing: expect.any(Array) });

    // The yearly round: reminders 7 and 1 days before, the late listed on the day.
    on('2027-01-08');
    await tick();
    on('2027-01-10');
    const member = (id: string) => token(id, 'member');
    const yearNarrative = (difficulties: string) => ({ results: 'Hoàn thành các nhiệm vụ được giao trong năm 2026.', difficulties, proposals: 'Đề nghị tổ chức tập huấn chuyên sâu.' });
    await reports().post(`/rounds/${yearly}/reports/mine/submit`).set('Authorization', member('bac-ninh.so-tu-phap')).send(yearNarrative('')).expect(200);
    await reports().post(`/rounds/${yearly}/reports/mine/submit`).set('Authorization', member('bac-ninh.so-tai-chinh')).send(yearNarrative('Thiếu số liệu')).expect(200);
    on('2027-01-11');
    await reports().post(`/rounds/${yearly}/reports/bac-ninh.so-tu-phap/accept`).set('Authorization', POLICE).expect(200);
    await reports().post(`/rounds/${yearly}/reports/bac-ninh.so-tai-chinh/return`).set('Authorization', POLICE).send({ reason: 'Bổ sung số liệu cấp xã' }).expect(200);
    const returned = (await reports().get(`/rounds/${yearly}/reports/mine`).set('Authorization', member('bac-ninh.so-tai-chinh')).expect(200)).body;
    expect(returned).toMatchObject({ status: 'returned', returnedReason: 'Bổ sung số liệu cấp xã' });
    on('2027-01-13');
    await reports().post(`/rounds/${yearly}/reports/mine/submit`).set('Authorization', member('bac-ninh.so-tai-chinh')).send(yearNarrative('Thiếu kinh phí tổ chức tập huấn cho cấp xã.')).expect(200);
    on('2027-01-14');
    await tick();
    await reports().post(`/rounds/${yearly}/reports/bac-ninh.so-tai-chinh/accept`).set('Authorization', POLICE).expect(200);
    on('2027-01-15');
    await tick();
    on('2027-01-16');
    const late = (await reports().post(`/rounds/${yearly}/reports/mine/submit`).set('Authorization', member('bac-ninh.so-y-te')).send(yearNarrative('')).expect(200)).body;
    expect(late.late).toBe(true);
    const ward = round.agencies.map((a: { agencyId: string }) => a.agencyId).find((id: string) => id.startsWith('bac-ninh.ubnd-phuong-'));
    on('2027-01-20');
    await reports().post(`/rounds/${yearly}/reports/mine/submit`).set('Authorization', member(ward)).send(yearNarrative('')).expect(200);
    for (const agency of ['bac-ninh.so-y-te', ward]) await reports().post(`/rounds/${yearly}/reports/${agency}/accept`).set('Authorization', POLICE).expect(200);
    await tick();
    await settled();
    const reminders = await reportingDb.query<{ data: { daysLeft: number; agencyIds: string[] } }>(
      `SELECT data FROM es_events WHERE stream_id = $1 AND event_type = 'ReportingReminderSent' ORDER BY stream_version`,
      [`round-${yearly}`],
    );
    expect(reminders.rows.map((r) => [r.data.daysLeft, r.data.agencyIds.length])).toEqual([[7, 115], [1, 113], [0, 113]]);
    const missing = (await reports().get(`/rounds/${yearly}/missing`).set('Authorization', POLICE).expect(200)).body;
    expect(missing.missing).toHaveLength(111);
    expect(missing.late.map((a: { agencyId: string }) => a.agencyId).sort()).toEqual([ward, 'bac-ninh.so-y-te'].sort());

    // The province's report, as of the end of the period.
    on('2027-01-25');
    await settled();
    const expected = { total: 632, doneOnTime: 29, doneLate: 17, openOnTime: 461, openOverdue: 125, waiting: 0 };
    const compiled = (await reports().get(`/rounds/${yearly}/provincial-report`).set('Authorization', POLICE).expect(200)).body.compiled;
    expect(compiled.asOf).toBe('2026-12-31');
    expect(compiled.figures).toEqual({ ...expected, percentDoneOnTime: 5, percentDone: 7 });
    const byTask = Object.fromEntries(compiled.byTask.map((t: { taskNumber: string; figures: object }) => [t.taskNumber, t.figures]));
    expect(byTask['4.a']).toEqual({ total: 17, doneOnTime: 1, doneLate: 0, openOnTime: 0, openOverdue: 16, waiting: 0 });
    expect(byTask['4.b']).toEqual({ total: 17, doneOnTime: 17, doneLate: 0, openOnTime: 0, openOverdue: 0, waiting: 0 });
    expect(byTask['4.c']).toEqual({ total: 17, doneOnTime: 10, doneLate: 0, openOnTime: 0, openOverdue: 7, waiting: 0 });
    expect(byTask['4.d']).toEqual({ total: 17, doneOnTime: 0, doneLate: 17, openOnTime: 0, openOverdue: 0, waiting: 0 });
    expect(byTask['2']).toEqual({ total: 115, doneOnTime: 1, doneLate: 0, openOnTime: 114, openOverdue: 0, waiting: 0 });
    expect(byTask['5']).toEqual({ total: 17, doneOnTime: 0, doneLate: 0, openOnTime: 0, openOverdue: 17, waiting: 0 });
    expect(compiled.reporting).toMatchObject({ asked: 115, submitted: 4, accepted: 4, returned: 0 });
    expect(compiled.consultations).toHaveLength(10);
    expect(compiled.consultations[0]).toMatchObject({ taskNumber: '4.a', coordinators: 16, answered: 2, comments: 1, status: 'responded', responseNumber: '45/CAT-ANM', responseDate: '2026-06-25', leadName: 'Công an tỉnh Bắc Ninh' });
    expect(compiled.narrative.difficulties).toEqual([{ agencyId: 'bac-ninh.so-tai-chinh', name: 'Sở Tài chính tỉnh Bắc Ninh', text: 'Thiếu kinh phí tổ chức tập huấn cho cấp xã.' }]);
    expect(compiled.trend.find((t: { month: string }) => t.month === '2026-07')).toEqual({ month: '2026-07', due: 153, percentDoneOnTime: 18, percentOverdue: 71 });

    const csv = (await reports().get(`/rounds/${yearly}/provincial-report.csv`).set('Authorization', POLICE).expect(200)).text;
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toHaveLength(117);
    expect(lines.at(-1)).toBe(',,Tổng cộng,632,29,17,461,125,0,,');

    const issuedReport = (await reports().post(`/rounds/${yearly}/provincial-report/issue`).set('Authorization', POLICE).send({
      number: '25/BC-UBND', date: '2027-01-25', issuer: 'ỦY BAN NHÂN DÂN TỈNH BẮC NINH', symbol: 'UBND', place: 'Bắc Ninh',
      recipients: ['Bộ Công an', 'Thủ tướng Chính phủ (để b/c)', 'Lưu: VT, NC'], signer: { authority: 'TM. ỦY BAN NHÂN DÂN', title: 'CHỦ TỊCH', name: 'Phạm Hoàng Sơn' },
    }).expect(200)).body;
    expect(issuedReport.figures).toEqual(expected);
    await reports().post(`/rounds/${yearly}/provincial-report/issue`).set('Authorization', POLICE).send({
      number: '26/BC-UBND', date: '2027-01-26', issuer: 'x', place: 'x', recipients: [], signer: { title: 'x', name: 'x' },
    }).expect(409);
    await reports().post(`/rounds/${yearly}/reports/mine/submit`).set('Authorization', member('bac-ninh.so-xay-dung')).send(yearNarrative('')).expect(409);

    const docx = await reports().get(`/rounds/${yearly}/provincial-report.docx`).set('Authorization', AUDITOR).buffer(true).parse(binaryBody).expect(200);
    expect(docx.headers['digest']).toBe(`sha-256=${Buffer.from(issuedReport.sha256, 'hex').toString('base64')}`);
    const text = docxText(docx.body);
    for (const line of [
      'ỦY BAN NHÂN DÂN TỈNH BẮC NINH', 'Số: 25/BC-UBND', 'Bắc Ninh, ngày 25 tháng 01 năm 2027', 'BÁO CÁO', 'I. KẾT QUẢ THỰC HIỆN',
      'Tổng số 632 nhiệm vụ của các cơ quan, đơn vị, địa phương: hoàn thành đúng hạn 29; hoàn thành quá hạn 17; đang thực hiện trong hạn 461 (trong đó 0 chưa đến thời điểm thực hiện); đang thực hiện quá hạn 125. Tỷ lệ hoàn thành 7%, hoàn thành đúng hạn 5%.',
      '- Sở Tài chính tỉnh Bắc Ninh: Thiếu kinh phí tổ chức tập huấn cho cấp xã.', 'TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH', 'Phạm Hoàng Sơn',
    ]) {
      expect(text).toContain(line);
    }
    expect(text).toMatch(/\| 4\.c \| [^|]+ \| 17 \| 10 \| 0 \| 0 \| 7 \|/);
    expect(text).toContain('115 cơ quan, đơn vị được đề nghị báo cáo; 4 đã báo cáo (4 báo cáo đạt yêu cầu), 2 báo cáo muộn, 111 chưa báo cáo.');

    const png = await reports().get(`/rounds/${yearly}/charts/by-task`).query({ format: 'png' }).set('Authorization', POLICE).buffer(true).parse(binaryBody).expect(200);
    expect(png.body.subarray(1, 4).toString()).toBe('PNG');
    const svg = await reports().get(`/rounds/${yearly}/charts/trend`).set('Authorization', POLICE).buffer(true).parse(binaryBody).expect(200);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(svg.body.toString('utf8')).toContain('Tỷ lệ hoàn thành đúng hạn trong năm (%)');

    // The ministry's roll-up, and the same report after every read model is rebuilt from the kept events.
    await settled();
    const rollup = (await reports().get('/rollup').query({ year: 2026 }).set('Authorization', MINISTRY).expect(200)).body;
    // Sơn La as of the day before its cut-off (15/11): task 3 overdue (91), tasks 1 and 6 within their time (170),
    // the gated training and the drafts' dependent tasks waiting (90 + 9 × 90 + 90).
    const sonLaFigures = { total: 1251, doneOnTime: 0, doneLate: 0, openOnTime: 1160, openOverdue: 91, waiting: 990 };
    expect(rollup.provinces).toEqual([
      expect.objectContaining({ province: 'bac-ninh', issued: expect.objectContaining({ number: '25/BC-UBND' }), figures: expected }),
      expect.objectContaining({ province: 'son-la', issued: null, figures: expect.objectContaining(sonLaFigures) }),
    ]);
    expect(rollup.totals).toEqual({ total: 1883, doneOnTime: 29, doneLate: 17, openOnTime: 1621, openOverdue: 216, waiting: 990 });
    await reports().get('/rollup').query({ year: 2026 }).set('Authorization', token('bac-ninh.so-tu-phap', 'coordinator')).expect(403);
    const rebuilt = (await reports().post('/admin/read-models/rebuild').set('Authorization', OPERATOR).expect(200)).body;
    expect(rebuilt.sources.events).toBeGreaterThan(632);
    process.stdout.write(`[reporting] rebuilt ${rebuilt.sources.events} source events in ${rebuilt.sources.seconds.toFixed(2)} s (${rebuilt.sources.eventsPerSecond}/s)\n`);
    const again = (await reports().get(`/rounds/${yearly}/provincial-report`).set('Authorization', POLICE).expect(200)).body.compiled;
    expect(again).toEqual(compiled);
    // The same, offline, with the one command an operator runs.
    const command = spawnSync('npm', ['run', '--silent', 'rebuild:reporting'], { env: { ...process.env, DATABASE_URL: databases[1].url }, encoding: 'utf8' });
    expect(command.stderr).toBe('');
    expect(command.stdout).toMatch(new RegExp(`^read models rebuilt: ${rebuilt.sources.events} events of other services in [0-9.]+ s \\(\\d+ events/s\\); \\d+ events of reporting's own log\\n$`));
    expect((await reports().get(`/rounds/${yearly}/provincial-report`).set('Authorization', POLICE).expect(200)).body.compiled).toEqual(compiled);
  }, 300_000); // ~200 requests and an offline rebuild on a shared 2-core machine
});

