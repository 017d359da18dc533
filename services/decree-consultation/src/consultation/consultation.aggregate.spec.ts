import { CONSULTATION_EVENT_TYPES, ConsultationOpenedV1, ConsultationResponseContent } from '@thihanh/contracts';
import { draftDecreeText } from '@thihanh/fixtures';
import { given } from '@thihanh/testing';
import { Consultation, ConsultationAction, mayPerform, maySee } from './consultation.aggregate';
import { CONSULTATION_EVENT_DEFINITIONS, ConsultationEvent } from './consultation.events';

const ID = '00000000-0000-7000-8000-0000000000c1';
const POLICE = 'son-la.cong-an-tinh';
const JUSTICE = 'son-la.so-tu-phap';
const FINANCE = 'son-la.so-tai-chinh';
const OUTSIDER = 'bac-ninh.so-tu-phap';

const file = (n: number) => ({ name: `du-thao-${n}.txt`, sha256: String(n).repeat(64), size: 4000 + n });
/** 9:00 in Vietnam on that day. */
const at = (day: string) => `${day}T09:00:00.000+07:00`;

type DataOf<T extends ConsultationEvent['type']> = Extract<ConsultationEvent, { type: T }>['data'];
function ev<T extends ConsultationEvent['type']>(type: T, data: Omit<DataOf<T>, 'consultationId'>): ConsultationEvent {
  return { type, data: { consultationId: ID, ...data } } as unknown as ConsultationEvent;
}

const opening: Omit<ConsultationOpenedV1, 'consultationId'> = {
  planId: 'p-son-la', planVersion: 1, taskNumber: '4.a',
  draft: { type: 'Nghị định', title: 'Nghị định của Chính phủ quy định chi tiết một số điều của Luật An ninh mạng' },
  draftingMinistry: null, legalRefs: [], leadAgencyId: POLICE, coordinatorAgencyIds: [JUSTICE, FINANCE],
  deadline: null, deadlineText: 'theo tiến độ dự thảo Nghị định', source: 'plan',
};
const opened = ev('ConsultationOpened', opening);
const deadlineSet = (deadline = '2026-06-15') => ev('ConsultationDeadlineSet', { planId: 'p-son-la', taskNumber: '4.a', deadline, source: 'ministry-request' });
const uploaded = (n: 1 | 2, relinked: DataOf<'ConsultationDraftUploaded'>['relinked'] = []) => {
  const text = draftDecreeText(n);
  return ev('ConsultationDraftUploaded', {
    draftVersion: n, file: file(n), title: 'Quy định chi tiết một số điều của Luật An ninh mạng', text, articleCount: n === 1 ? 8 : 9,
    unparsedLines: 0, relinked, at: at('2026-06-01'),
  });
};
const commented = (commentId: string, agencyId: string, anchor: string | null, text = 'Đề nghị làm rõ', day = '2026-06-05') =>
  ev('ConsultationCommentSubmitted', { commentId, agencyId, kind: 'comment', anchor, draftVersion: 1, text, at: at(day) });
const noComment = (commentId: string, agencyId: string) =>
  ev('ConsultationCommentSubmitted', { commentId, agencyId, kind: 'no-comment', anchor: null, draftVersion: 1, text: '', at: at('2026-06-05') });
const decided = (commentId: string, decision: DataOf<'ConsultationCommentDecided'>['decision'] = 'accepted', reason = '') =>
  ev('ConsultationCommentDecided', { commentId, decision, reason, at: at('2026-06-16') });

const response: ConsultationResponseContent = {
  parentAuthority: 'BỘ CÔNG AN', issuer: 'CÔNG AN TỈNH SƠN LA', symbol: 'CAT-ANM', place: 'Sơn La',
  summary: 'V/v góp ý dự thảo Nghị định quy định chi tiết một số điều của Luật An ninh mạng',
  addressees: ['Bộ Công an (Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao)'],
  body: 'Công an tỉnh Sơn La tổng hợp ý kiến của các sở, ngành như sau:', recipients: ['Như trên', 'Lưu: VT, ANM'],
  signer: { authority: 'KT. GIÁM ĐỐC', title: 'PHÓ GIÁM ĐỐC', name: 'Nguyễn Văn A' },
};
const drafted = ev('ConsultationResponseDrafted', { response, at: at('2026-06-16') });

const collecting = [opened, deadlineSet(), uploaded(1)];

describe('a consultation on a draft decree', () => {
  it('opens with its deadline when the plan gives one, without the lead among those asked to comment', () => {
    given(new Consultation(ID))
      .when((c) => c.open({ ...opening, coordinatorAgencyIds: [JUSTICE, POLICE, FINANCE, JUSTICE], deadline: '2026-07-01', deadlineText: 'Trước ngày 01 tháng 7 năm 2026' }))
      .then([
        ev('ConsultationOpened', { ...opening, coordinatorAgencyIds: [JUSTICE, FINANCE], deadline: '2026-07-01', deadlineText: 'Trước ngày 01 tháng 7 năm 2026' }),
        ev('ConsultationDeadlineSet', { planId: 'p-son-la', taskNumber: '4.a', deadline: '2026-07-01', source: 'plan' }),
      ]);
  });

  it('waits for the drafting schedule when the plan gives no date, until the ministry’s request fixes it', () => {
    const request = { number: '1520/BCA-A05', date: '2026-05-25', ministry: 'Bộ Công an' };
    given(new Consultation(ID), [opened])
      .when((c) => c.setDeadline('2026-06-15', 'ministry-request', at('2026-05-26'), request))
      .then([
        ev('ConsultationDeadlineSet', { planId: 'p-son-la', taskNumber: '4.a', deadline: '2026-06-15', source: 'ministry-request', request }),
        ev('ConsultationMinistryRecorded', { draftingMinistry: 'Bộ Công an' }),
      ]);
    given(new Consultation(ID), [opened, deadlineSet()]).when((c) => c.setDeadline('2026-06-15', 'operator', at('2026-05-26'))).then([]);
    given(new Consultation(ID), [opened]).when((c) => c.setDeadline('2026-05-26', 'operator', at('2026-05-26'))).thenFails('CONSULTATION.DEADLINE_IN_PAST');
    given(new Consultation(ID), [opened]).when((c) => c.setDeadline('2026-02-30', 'operator', at('2026-05-26'))).thenFails('CONSULTATION.INVALID_DATE');
  });

  it('splits an uploaded draft into articles and refuses a file that has none, or the same file twice', () => {
    const consultation = given(new Consultation(ID), [opened]).when((c) => c.uploadDraft(file(1), draftDecreeText(1), at('2026-06-01'))).then([uploaded(1)]);
    expect(consultation.currentDraft?.document.articles.map((a) => a.id)).toEqual(['dieu-1', 'dieu-2', 'dieu-3', 'dieu-4', 'dieu-5', 'dieu-6', 'dieu-7', 'dieu-8']);
    given(new Consultation(ID), [opened]).when((c) => c.uploadDraft(file(3), 'Công văn đề nghị góp ý, không phải dự thảo.', at('2026-06-01'))).thenFails('CONSULTATION.DRAFT_WITHOUT_ARTICLES');
    given(new Consultation(ID), collecting).when((c) => c.uploadDraft(file(1), draftDecreeText(1), at('2026-06-02'))).thenFails('CONSULTATION.SAME_DRAFT');
  });

  it('keeps comments on unchanged places linked, follows renumbered ones and flags those whose text changed', () => {
    const history = [
      ...collecting,
      commented('k1', JUSTICE, 'dieu-2'), // unchanged
      commented('k2', JUSTICE, 'dieu-4.khoan-2'), // 30 → 20 days
      commented('k3', FINANCE, 'dieu-5'), // pushed to Điều 6 by an insertion, unchanged
      commented('k4', FINANCE, 'dieu-6.khoan-1.diem-a'), // now Điều 7, unchanged with its lead-in
      commented('k5', FINANCE, 'dieu-6.khoan-1.diem-b'), // now Điều 7, reworded
      commented('k6', FINANCE, null), // general: nothing to relink
    ];
    const relinked = [
      { commentId: 'k1', anchor: 'dieu-2', previousAnchor: 'dieu-2', status: 'linked' },
      { commentId: 'k2', anchor: 'dieu-4.khoan-2', previousAnchor: 'dieu-4.khoan-2', status: 'flagged' },
      { commentId: 'k3', anchor: 'dieu-6', previousAnchor: 'dieu-5', status: 'linked' },
      { commentId: 'k4', anchor: 'dieu-7.khoan-1.diem-a', previousAnchor: 'dieu-6.khoan-1.diem-a', status: 'linked' },
      { commentId: 'k5', anchor: 'dieu-7.khoan-1.diem-b', previousAnchor: 'dieu-6.khoan-1.diem-b', status: 'flagged' },
    ] as const;
    const consultation = given(new Consultation(ID), history)
      .when((c) => c.uploadDraft(file(2), draftDecreeText(2), at('2026-06-01')))
      .then([uploaded(2, [...relinked])]);
    expect(consultation.comments.get('k3')).toMatchObject({ anchor: 'dieu-6', linkStatus: 'linked' });
    expect(consultation.comments.get('k2')).toMatchObject({ anchor: 'dieu-4.khoan-2', linkStatus: 'flagged' });
  });

  it('takes a coordinating agency’s comment on a place of the latest draft, or in general', () => {
    given(new Consultation(ID), collecting)
      .when((c) => {
        c.comment('k1', JUSTICE, 'dieu-4.khoan-1.diem-b', '  Đề nghị bổ sung hồ sơ thiết kế chi tiết. ', at('2026-06-05'));
        c.comment('k2', JUSTICE, null, 'Thống nhất với dự thảo.', at('2026-06-05'));
      })
      .then([
        commented('k1', JUSTICE, 'dieu-4.khoan-1.diem-b', 'Đề nghị bổ sung hồ sơ thiết kế chi tiết.'),
        commented('k2', JUSTICE, null, 'Thống nhất với dự thảo.'),
      ]);
  });

  it('refuses a comment on a place the draft does not have, or before any draft', () => {
    given(new Consultation(ID), collecting).when((c) => c.comment('k1', JUSTICE, 'dieu-40', 'x', at('2026-06-05'))).thenFails('CONSULTATION.NO_SUCH_PLACE');
    given(new Consultation(ID), collecting).when((c) => c.comment('k1', JUSTICE, 'article 4', 'x', at('2026-06-05'))).thenFails('CONSULTATION.INVALID_ANCHOR');
    given(new Consultation(ID), [opened, deadlineSet()]).when((c) => c.comment('k1', JUSTICE, 'dieu-4', 'x', at('2026-06-05'))).thenFails('CONSULTATION.NO_SUCH_PLACE');
    given(new Consultation(ID), collecting).when((c) => c.comment('k1', JUSTICE, null, '   ', at('2026-06-05'))).thenFails('CONSULTATION.REQUIRED');
  });

  it('hears only its coordinating agencies: the lead and outsiders cannot comment', () => {
    given(new Consultation(ID), collecting).when((c) => c.comment('k1', OUTSIDER, null, 'x', at('2026-06-05'))).thenFails('CONSULTATION.NOT_A_COORDINATOR');
    given(new Consultation(ID), collecting).when((c) => c.comment('k1', POLICE, null, 'x', at('2026-06-05'))).thenFails('CONSULTATION.NOT_A_COORDINATOR');
  });

  it('closes comments when the deadline’s day begins in Vietnam: no new ones, no edits, no withdrawals', () => {
    const history = [...collecting, commented('k1', JUSTICE, 'dieu-2')];
    // 14 June 23:59 in Vietnam is still before 15 June.
    given(new Consultation(ID), history).when((c) => c.comment('k2', FINANCE, null, 'x', '2026-06-14T16:59:00.000Z')).then([
      ev('ConsultationCommentSubmitted', { commentId: 'k2', agencyId: FINANCE, kind: 'comment', anchor: null, draftVersion: 1, text: 'x', at: '2026-06-14T16:59:00.000Z' }),
    ]);
    const midnight = '2026-06-14T17:00:00.000Z';
    given(new Consultation(ID), history).when((c) => c.comment('k2', FINANCE, null, 'x', midnight)).thenFails('CONSULTATION.DEADLINE_PASSED');
    given(new Consultation(ID), history).when((c) => c.answerNoComment('k2', FINANCE, midnight)).thenFails('CONSULTATION.DEADLINE_PASSED');
    given(new Consultation(ID), history).when((c) => c.editComment('k1', JUSTICE, 'y', null, midnight)).thenFails('CONSULTATION.DEADLINE_PASSED');
    given(new Consultation(ID), history).when((c) => c.withdrawComment('k1', JUSTICE, midnight)).thenFails('CONSULTATION.DEADLINE_PASSED');
  });

  it('lets the author edit or withdraw its own comment before the deadline, and no one else', () => {
    const history = [...collecting, commented('k1', JUSTICE, 'dieu-2'), decided('k1')];
    const edited = given(new Consultation(ID), history)
      .when((c) => c.editComment('k1', JUSTICE, 'Đề nghị sửa khoản 2', 'dieu-2.khoan-2', at('2026-06-10')))
      .then([ev('ConsultationCommentEdited', { commentId: 'k1', text: 'Đề nghị sửa khoản 2', anchor: 'dieu-2.khoan-2', draftVersion: 1, at: at('2026-06-10') })]);
    expect(edited.comments.get('k1')?.decision).toBeNull(); // the decision was on the old wording
    given(new Consultation(ID), history).when((c) => c.withdrawComment('k1', JUSTICE, at('2026-06-10'))).then([ev('ConsultationCommentWithdrawn', { commentId: 'k1', at: at('2026-06-10') })]);
    given(new Consultation(ID), history).when((c) => c.editComment('k1', FINANCE, 'x', null, at('2026-06-10'))).thenFails('CONSULTATION.NOT_YOUR_COMMENT');
    given(new Consultation(ID), history).when((c) => c.withdrawComment('k9', JUSTICE, at('2026-06-10'))).thenFails('CONSULTATION.COMMENT_NOT_FOUND');
    given(new Consultation(ID), [...history, ev('ConsultationCommentWithdrawn', { commentId: 'k1', at: at('2026-06-10') })])
      .when((c) => c.withdrawComment('k1', JUSTICE, at('2026-06-11'))).thenFails('CONSULTATION.COMMENT_WITHDRAWN');
  });

  it('records "không có ý kiến" once, and not beside comments of the same agency', () => {
    given(new Consultation(ID), collecting).when((c) => c.answerNoComment('k1', FINANCE, at('2026-06-05'))).then([noComment('k1', FINANCE)]);
    given(new Consultation(ID), [...collecting, noComment('k1', FINANCE)]).when((c) => c.answerNoComment('k2', FINANCE, at('2026-06-06'))).then([]);
    given(new Consultation(ID), [...collecting, noComment('k1', FINANCE)]).when((c) => c.comment('k2', FINANCE, null, 'x', at('2026-06-06'))).thenFails('CONSULTATION.NO_COMMENT_GIVEN');
    given(new Consultation(ID), [...collecting, commented('k1', FINANCE, null)]).when((c) => c.answerNoComment('k2', FINANCE, at('2026-06-06'))).thenFails('CONSULTATION.HAS_COMMENTS');
  });

  it('shows the lead who has answered and who has not', () => {
    const consultation = given(new Consultation(ID), [...collecting, commented('k1', JUSTICE, 'dieu-2'), commented('k2', JUSTICE, null)]).when(() => undefined).then([]);
    expect(consultation.answers()).toEqual([
      { agencyId: JUSTICE, answer: 'commented', comments: 2 },
      { agencyId: FINANCE, answer: 'none', comments: 0 },
    ]);
  });

  it('records the lead’s decision on each comment, with a reason unless accepted in full', () => {
    const history = [...collecting, commented('k1', JUSTICE, 'dieu-2'), noComment('k2', FINANCE)];
    given(new Consultation(ID), history).when((c) => c.decide('k1', 'partly-accepted', 'Tiếp thu ý sửa khoản 1', at('2026-06-16'))).then([decided('k1', 'partly-accepted', 'Tiếp thu ý sửa khoản 1')]);
    given(new Consultation(ID), history).when((c) => c.decide('k1', 'not-accepted', ' ', at('2026-06-16'))).thenFails('CONSULTATION.REASON_REQUIRED');
    given(new Consultation(ID), history).when((c) => c.decide('k2', 'accepted', '', at('2026-06-16'))).thenFails('CONSULTATION.NOTHING_TO_DECIDE');
    given(new Consultation(ID), history).when((c) => c.decide('k9', 'accepted', '', at('2026-06-16'))).thenFails('CONSULTATION.COMMENT_NOT_FOUND');
  });

  it('submits the response only once it is written and every comment has its decision', () => {
    const history = [...collecting, commented('k1', JUSTICE, 'dieu-2'), commented('k2', FINANCE, null)];
    const document = { title: response.summary, number: '125/CAT-ANM', date: '2026-06-18', sha256: 'f'.repeat(64) };
    given(new Consultation(ID), history).when((c) => c.submitResponse(document, at('2026-06-18'))).thenFails('CONSULTATION.NO_RESPONSE');
    const refused = given(new Consultation(ID), [...history, drafted, decided('k1')]).when((c) => c.submitResponse(document, at('2026-06-18'))).thenFails('CONSULTATION.UNDECIDED_COMMENTS');
    expect(refused.details).toEqual({ commentIds: ['k2'] });
    const submitted = given(new Consultation(ID), [...history, drafted, decided('k1'), decided('k2', 'not-accepted', 'Ngoài phạm vi Nghị định')])
      .when((c) => c.submitResponse(document, at('2026-06-18')))
      .then([ev('ConsultationResponseSubmitted', { planId: 'p-son-la', taskNumber: '4.a', leadAgencyId: POLICE, document, submittedAt: at('2026-06-18') })]);
    expect(submitted.status).toBe('responded');
    expect(submitted.allowedActions).not.toContain('comment');
  });

  it('is closed by the decree’s issue, after which nothing changes', () => {
    const issued = { number: '53/2026/NĐ-CP', date: '2026-08-01' };
    const closed = given(new Consultation(ID), collecting).when((c) => c.close(issued, at('2026-08-02'))).then([ev('ConsultationClosed', { issued, at: at('2026-08-02') })]);
    expect(closed.status).toBe('closed');
    given(new Consultation(ID), [...collecting, ev('ConsultationClosed', { issued, at: at('2026-08-02') })])
      .when((c) => c.uploadDraft(file(2), draftDecreeText(2), at('2026-08-03'))).thenFails('CONSULTATION.TRANSITION_NOT_ALLOWED');
  });

  it('reminds those who have not answered 7 and 1 days before the deadline, once each, and lists them when it passes', () => {
    const history = [...collecting, commented('k1', JUSTICE, 'dieu-2')];
    const remind = (daysLeft: 7 | 1) => ev('ConsultationReminderSent', { deadline: '2026-06-15', daysLeft, agencyIds: [FINANCE] });
    given(new Consultation(ID), history).when((c) => c.checkDeadline('2026-06-07')).then([]);
    given(new Consultation(ID), history).when((c) => c.checkDeadline('2026-06-08')).then([remind(7)]);
    given(new Consultation(ID), [...history, remind(7)]).when((c) => c.checkDeadline('2026-06-10')).then([]);
    given(new Consultation(ID), [...history, remind(7)]).when((c) => c.checkDeadline('2026-06-14')).then([remind(1)]);
    // First seen the day before: one reminder, not two.
    given(new Consultation(ID), history).when((c) => c.checkDeadline('2026-06-14')).then([remind(1)]);
    given(new Consultation(ID), history).when((c) => c.checkDeadline('2026-06-15')).then([
      ev('ConsultationDeadlinePassed', { deadline: '2026-06-15', unansweredAgencyIds: [FINANCE] }),
    ]);
    given(new Consultation(ID), [...history, noComment('k2', FINANCE)]).when((c) => c.checkDeadline('2026-06-14')).then([]);
    // A new deadline re-arms them.
    given(new Consultation(ID), [...history, remind(7), remind(1), deadlineSet('2026-06-30')]).when((c) => c.checkDeadline('2026-06-29')).then([
      ev('ConsultationReminderSent', { deadline: '2026-06-30', daysLeft: 1, agencyIds: [FINANCE] }),
    ]);
  });

  it('follows an amended plan’s parties, once per plan version', () => {
    given(new Consultation(ID), collecting)
      .when((c) => c.changeParties(2, POLICE, [JUSTICE, POLICE]))
      .then([ev('ConsultationPartiesChanged', { planVersion: 2, leadAgencyId: POLICE, coordinatorAgencyIds: [JUSTICE] })]);
    given(new Consultation(ID), collecting).when((c) => c.changeParties(1, POLICE, [JUSTICE])).then([]);
  });

  it('has a schema version for every event type the contracts list', () => {
    expect(CONSULTATION_EVENT_DEFINITIONS).toEqual(CONSULTATION_EVENT_TYPES.map((type) => ({ type, schemaVersion: 1 })));
  });
});

describe('who may act on a consultation', () => {
  const parties = { id: ID, leadAgencyId: POLICE, coordinatorAgencyIds: [JUSTICE, FINANCE] };
  const lead: ConsultationAction[] = ['setDeadline', 'recordMinistry', 'uploadDraft', 'decide', 'draftResponse', 'submitResponse', 'close'];

  it('lets the lead agency, as coordinator, run it; operators too, and they alone cancel it', () => {
    for (const action of lead) {
      expect(mayPerform(parties, { agencyId: POLICE, roles: ['coordinator'] }, action)).toBe(true);
      expect(mayPerform(parties, { agencyId: POLICE, roles: ['member'] }, action)).toBe(false);
      expect(mayPerform(parties, { agencyId: JUSTICE, roles: ['coordinator'] }, action)).toBe(false);
      expect(mayPerform(parties, { agencyId: 'son-la.ubnd-tinh', roles: ['operator'] }, action)).toBe(true);
    }
    expect(mayPerform(parties, { agencyId: POLICE, roles: ['coordinator'] }, 'cancel')).toBe(false);
    expect(mayPerform(parties, { agencyId: 'son-la.ubnd-tinh', roles: ['operator'] }, 'cancel')).toBe(true);
  });

  it('never lets an auditor act, and shows the consultation only to its parties, auditors and operators', () => {
    for (const action of [...lead, 'comment', 'editComment', 'withdrawComment', 'cancel'] as ConsultationAction[]) {
      expect(mayPerform(parties, { agencyId: 'national.thanh-tra-chinh-phu', roles: ['auditor'] }, action)).toBe(false);
    }
    expect(maySee(parties, { agencyId: JUSTICE, roles: ['member'] })).toBe(true);
    expect(maySee(parties, { agencyId: OUTSIDER, roles: ['coordinator'] })).toBe(false);
    expect(maySee(parties, { agencyId: OUTSIDER, roles: ['auditor'] })).toBe(true);
  });
});
