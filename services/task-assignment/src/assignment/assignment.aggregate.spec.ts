import { AssignmentOpenedV1, TASK_ASSIGNMENT_EVENT_TYPES, Timeline } from '@thihanh/contracts';
import { DomainError, ForbiddenError, RuleViolationError } from '@thihanh/domain';
import { given } from '@thihanh/testing';
import { Assignment, AssignmentAction, AssignmentActor, authorize, mayPerform, openingStatus } from './assignment.aggregate';
import { ASSIGNMENT_EVENT_DEFINITIONS, AssignmentEvent } from './assignment.events';

const ID = '00000000-0000-7000-8000-000000000001';
const AGENCY = 'son-la.so-tai-chinh';
const LEAD = 'son-la.so-tu-phap';
const PLAN_COORDINATOR = 'son-la.cong-an-tinh';
const OTHER = 'son-la.so-y-te';

const fixed: Timeline = { kind: 'fixed', dueBefore: '2026-05-20', fromYear: null, dueMonthDay: null, text: 'trước ngày 20/5/2026' };
const gated: Timeline = {
  kind: 'gated', dueBefore: null, fromYear: null, dueMonthDay: null, gate: 'Bộ Công an tổ chức tập huấn', text: '(sau khi Bộ Công an tổ chức tập huấn …)',
};
const dependent: Timeline = {
  kind: 'dependent', dueBefore: null, fromYear: null, dueMonthDay: null, dependsOn: 'dự thảo Nghị định', text: 'theo tiến độ dự thảo Nghị định',
};

const at = (day: string) => `${day}T09:00:00.000+07:00`;
const focalPoint = { name: 'Nguyễn Thị B', title: 'Phó Chánh Văn phòng', email: 'ntb@sotaichinh.sonla.gov.vn' };
const report = { deliverableId: 'd1', title: 'Báo cáo kết quả tuyên truyền', documentNumber: '45/BC-STC', documentDate: '2026-05-10', link: 'https://vanban.sonla.gov.vn/45-bc-stc' };

type DataOf<T extends AssignmentEvent['type']> = Extract<AssignmentEvent, { type: T }>['data'];

function ev<T extends AssignmentEvent['type']>(type: T, data: Omit<DataOf<T>, 'assignmentId'>): AssignmentEvent {
  return { type, data: { assignmentId: ID, ...data } } as unknown as AssignmentEvent;
}

const spec = (overrides: Partial<AssignmentOpenedV1> = {}): Omit<AssignmentOpenedV1, 'assignmentId' | 'status'> => ({
  planId: 'p-son-la',
  planVersion: 1,
  taskNumber: '3',
  taskTitle: 'Rà soát văn bản quy phạm pháp luật',
  agencyId: AGENCY,
  role: 'coordinator',
  cycle: 'once',
  timeline: fixed,
  dueBefore: '2026-05-20',
  leadAgencyIds: [LEAD],
  planCoordinatorAgencyId: PLAN_COORDINATOR,
  deliverablesExpected: ['Báo cáo kết quả rà soát'],
  ...overrides,
});

const opened = (overrides: Partial<AssignmentOpenedV1> = {}) => ev('AssignmentOpened', { status: 'assigned', ...spec(overrides), ...overrides });
const acknowledged = ev('AssignmentAcknowledged', { focalPoint, at: at('2026-04-21') });
const progressed = (percent: number, day = '2026-04-25') => ev('AssignmentProgressReported', { percent, note: `${percent}%`, at: at(day) });
const submitted = ev('AssignmentDeliverableSubmitted', { ...report, at: at('2026-05-10') });
const returned = ev('AssignmentReturned', { reason: 'Thiếu số liệu cấp xã', at: at('2026-05-12') });
const accepted = ev('AssignmentAccepted', { at: at('2026-05-15') });
const cancelled = ev('AssignmentCancelled', { reason: 'Nhiệm vụ bị bãi bỏ', planVersion: 2 });
const blocked = ev('AssignmentBlocked', { reason: 'Chờ hướng dẫn của Bộ', at: at('2026-05-01') });
const requested = (newDueBefore = '2026-06-30') => ev('AssignmentExtensionRequested', { requestId: 'x1', newDueBefore, reason: 'Chờ số liệu', at: at('2026-05-05') });
const granted = (newDueBefore = '2026-06-30') => ev('AssignmentExtensionGranted', { requestId: 'x1', newDueBefore, at: at('2026-05-06') });

const working = [opened(), acknowledged, progressed(40)];
const handedIn = [...working, submitted];

const load = (history: AssignmentEvent[]) => new Assignment(ID).rehydrate(history);

describe('Assignment', () => {
  describe('opening', () => {
    it('opens a case with a due date as assigned, carrying everything the plan says about it', () => {
      const assignment = given(new Assignment(ID)).when((a) => a.open(spec())).then([opened()]);
      expect(assignment).toMatchObject({ status: 'assigned', assignedAgencyId: AGENCY, dueBefore: '2026-05-20', leadAgencyIds: [LEAD] });
    });

    it('opens a gated case, and a dependent case without a due date, as waiting', () => {
      given(new Assignment(ID))
        .when((a) => a.open(spec({ timeline: gated, dueBefore: null })))
        .then([opened({ timeline: gated, dueBefore: null, status: 'waiting' })]);
      given(new Assignment(ID))
        .when((a) => a.open(spec({ timeline: dependent, dueBefore: null })))
        .then([opened({ timeline: dependent, dueBefore: null, status: 'waiting' })]);
      expect(openingStatus(dependent, '2026-07-01')).toBe('assigned');
      expect(openingStatus({ ...fixed, kind: 'ongoing', dueBefore: null }, null)).toBe('assigned');
    });

    it('opens a case once, for a real due date and a known cycle', () => {
      given(new Assignment(ID), [opened()]).when((a) => a.open(spec())).thenFails('ASSIGNMENT.ALREADY_OPENED');
      given(new Assignment(ID)).when((a) => a.open(spec({ dueBefore: '2026-02-30' }))).thenFails('ASSIGNMENT.INVALID_DATE');
      given(new Assignment(ID)).when((a) => a.open(spec({ cycle: 'hằng năm' }))).thenFails('ASSIGNMENT.INVALID_CYCLE');
    });

    it('does not exist before it is opened', () => {
      given(new Assignment(ID)).when((a) => a.acknowledge(focalPoint, at('2026-04-21'))).thenFails('ASSIGNMENT.NOT_FOUND');
    });
  });

  describe('from assignment to acceptance', () => {
    it('is acknowledged, worked, handed in and accepted', () => {
      const assignment = given(new Assignment(ID), [opened()])
        .when((a) => {
          a.acknowledge(focalPoint, at('2026-04-21'));
          a.reportProgress(40, '40%', at('2026-04-25'));
          a.submitDeliverable(report, at('2026-05-10'));
          a.accept(at('2026-05-15'), 'Đạt yêu cầu');
        })
        .then([acknowledged, progressed(40), submitted, ev('AssignmentAccepted', { at: at('2026-05-15'), note: 'Đạt yêu cầu' })]);
      expect(assignment).toMatchObject({ status: 'accepted', isFinal: true, focalPoint, percent: 40, allowedActions: [] });
      expect(assignment.deliverables).toEqual([report]);
    });

    it('needs a focal point with a name to acknowledge', () => {
      given(new Assignment(ID), [opened()]).when((a) => a.acknowledge({ name: '  ' }, at('2026-04-21'))).thenFails('ASSIGNMENT.INVALID_FOCAL_POINT');
      given(new Assignment(ID), [opened()]).when((a) => a.acknowledge({ name: 'B', email: 'không-phải-email' }, at('2026-04-21'))).thenFails('ASSIGNMENT.INVALID_FOCAL_POINT');
    });

    it('takes times as ISO instants only', () => {
      given(new Assignment(ID), [opened()]).when((a) => a.acknowledge(focalPoint, '21/4/2026')).thenFails('ASSIGNMENT.INVALID_TIME');
    });

    it('lets progress go down, but not outside 0–100', () => {
      given(new Assignment(ID), [opened(), acknowledged, progressed(60)])
        .when((a) => a.reportProgress(30, 'Đánh giá lại', at('2026-04-26')))
        .then([ev('AssignmentProgressReported', { percent: 30, note: 'Đánh giá lại', at: at('2026-04-26') })]);
      for (const percent of [101, -1, Number.NaN]) {
        const error = given(new Assignment(ID), working).when((a) => a.reportProgress(percent, '', at('2026-04-26'))).thenFails('ASSIGNMENT.INVALID_PERCENT');
        expect(error.kind).toBe('invalid');
      }
    });

    it('accepts a further deliverable while the first awaits review', () => {
      const second = { deliverableId: 'd2', title: 'Phụ lục số liệu', file: { name: 'phu-luc.xlsx', sha256: 'AB'.repeat(32), size: 18_432 } };
      given(new Assignment(ID), handedIn)
        .when((a) => a.submitDeliverable(second, at('2026-05-11')))
        .then([ev('AssignmentDeliverableSubmitted', { ...second, file: { ...second.file, sha256: 'ab'.repeat(32) }, at: at('2026-05-11') })]);
    });

    it('refuses a deliverable without a link or a file with a 64-hex sha256, and the same deliverable twice', () => {
      const submit = (d: object) => (a: Assignment) => a.submitDeliverable({ ...report, link: undefined, ...d }, at('2026-05-10'));
      given(new Assignment(ID), working).when(submit({})).thenFails('ASSIGNMENT.INVALID_DELIVERABLE');
      given(new Assignment(ID), working).when(submit({ file: { name: 'bc.pdf', sha256: 'abc123', size: 10 } })).thenFails('ASSIGNMENT.INVALID_DELIVERABLE');
      given(new Assignment(ID), working).when(submit({ file: { name: 'bc.pdf', sha256: 'g'.repeat(64), size: 10 } })).thenFails('ASSIGNMENT.INVALID_DELIVERABLE');
      given(new Assignment(ID), working).when(submit({ link: 'vanban.sonla.gov.vn/45' })).thenFails('ASSIGNMENT.INVALID_DELIVERABLE');
      given(new Assignment(ID), working).when(submit({ link: report.link, documentDate: '2026-04-31' })).thenFails('ASSIGNMENT.INVALID_DELIVERABLE');
      given(new Assignment(ID), handedIn).when((a) => a.submitDeliverable(report, at('2026-05-11'))).thenFails('ASSIGNMENT.DUPLICATE_DELIVERABLE');
    });

    it('accepts only on a deliverable on file', () => {
      given(new Assignment(ID), working).when((a) => a.accept(at('2026-05-15'))).thenFails('ASSIGNMENT.NOTHING_SUBMITTED');
    });
  });

  describe('transitions not allowed', () => {
    const cases: [string, AssignmentEvent[], (a: Assignment) => void, string, AssignmentAction[]][] = [
      ['reporting progress before acknowledging', [opened()], (a) => a.reportProgress(10, '', at('2026-04-22')), 'assigned',
        ['acknowledge', 'requestExtension', 'grantExtension', 'refuseExtension', 'reassign', 'block', 'setDueDate', 'applyPlanChange', 'cancel']],
      ['acknowledging twice', [opened(), acknowledged], (a) => a.acknowledge(focalPoint, at('2026-04-22')), 'acknowledged',
        ['reportProgress', 'submitDeliverable', 'requestExtension', 'grantExtension', 'refuseExtension', 'reassign', 'block', 'setDueDate', 'applyPlanChange', 'cancel']],
      ['returning work not handed in', working, (a) => a.return('Chưa đạt', at('2026-05-12')), 'in_progress',
        ['reportProgress', 'submitDeliverable', 'requestExtension', 'grantExtension', 'refuseExtension', 'accept', 'reassign', 'block', 'setDueDate', 'applyPlanChange', 'cancel']],
      ['reporting progress on handed-in work', handedIn, (a) => a.reportProgress(90, '', at('2026-05-11')), 'submitted',
        ['submitDeliverable', 'grantExtension', 'refuseExtension', 'accept', 'return', 'block', 'setDueDate', 'applyPlanChange', 'cancel']],
      ['acknowledging a case waiting for its gate', [opened({ timeline: gated, dueBefore: null, status: 'waiting' })], (a) => a.acknowledge(focalPoint, at('2026-04-21')), 'waiting',
        ['openGate', 'reassign', 'applyPlanChange', 'cancel']],
      ['opening the gate of a case waiting for its due date', [opened({ timeline: dependent, dueBefore: null, status: 'waiting' })], (a) => a.openGate('Tập huấn', at('2026-06-01')), 'waiting',
        ['setDueDate', 'reassign', 'applyPlanChange', 'cancel']],
      ['setting the due date of a case waiting for its gate', [opened({ timeline: gated, dueBefore: null, status: 'waiting' })], (a) => a.setDueDate('2026-09-01', 'operator'), 'waiting',
        ['openGate', 'reassign', 'applyPlanChange', 'cancel']],
      ['working on a blocked case', [...working, blocked], (a) => a.submitDeliverable(report, at('2026-05-10')), 'blocked',
        ['unblock', 'grantExtension', 'refuseExtension', 'setDueDate', 'applyPlanChange', 'cancel']],
      ['unblocking a case that is not blocked', working, (a) => a.unblock('Đã có hướng dẫn', at('2026-05-02')), 'in_progress',
        ['reportProgress', 'submitDeliverable', 'requestExtension', 'grantExtension', 'refuseExtension', 'accept', 'reassign', 'block', 'setDueDate', 'applyPlanChange', 'cancel']],
      ['reassigning handed-in work', handedIn, (a) => a.reassign(OTHER, 'Sắp xếp lại', at('2026-05-11')), 'submitted',
        ['submitDeliverable', 'grantExtension', 'refuseExtension', 'accept', 'return', 'block', 'setDueDate', 'applyPlanChange', 'cancel']],
      ['returning an accepted case', [...handedIn, accepted], (a) => a.return('Xem lại', at('2026-05-16')), 'accepted', []],
      ['cancelling an accepted case', [...handedIn, accepted], (a) => a.cancel('Bãi bỏ', 2), 'accepted', []],
      ['acknowledging a cancelled case', [opened(), cancelled], (a) => a.acknowledge(focalPoint, at('2026-04-21')), 'cancelled', []],
    ];

    it.each(cases)('refuses %s with 409, naming the status and what it allows', (_, history, decide, status, allowed) => {
      const error = given(new Assignment(ID), history).when(decide).thenFails('ASSIGNMENT.TRANSITION_NOT_ALLOWED');
      expect(error).toBeInstanceOf(RuleViolationError);
      expect(error.details).toMatchObject({ status, allowed });
      expect(error.message).toContain(status);
      for (const action of allowed) expect(error.message).toContain(action);
    });

    it('tells what a waiting case waits for', () => {
      const error = given(new Assignment(ID), [opened({ timeline: gated, dueBefore: null, status: 'waiting' })])
        .when((a) => a.acknowledge(focalPoint, at('2026-04-21')))
        .thenFails('ASSIGNMENT.TRANSITION_NOT_ALLOWED');
      expect(error.details['waitingFor']).toBe('gate');
      expect(error.message).toBe('Cannot acknowledge a case that is waiting (waiting for its gate); allowed from waiting: openGate, reassign, applyPlanChange, cancel');
    });
  });

  describe('extensions', () => {
    it('asks for a later due date and, when granted, is due then', () => {
      const assignment = given(new Assignment(ID), working)
        .when((a) => {
          a.requestExtension('x1', '2026-06-30', 'Chờ số liệu', at('2026-05-05'));
          a.grantExtension('x1', at('2026-05-06'));
        })
        .then([requested(), granted()]);
      expect(assignment).toMatchObject({ dueBefore: '2026-06-30', pendingExtension: null, status: 'in_progress' });
    });

    it('lets the reviewer grant another date than asked, if still later than the current one', () => {
      given(new Assignment(ID), [...working, requested()]).when((a) => a.grantExtension('x1', at('2026-05-06'), '2026-06-15')).then([granted('2026-06-15')]);
      given(new Assignment(ID), [...working, requested()]).when((a) => a.grantExtension('x1', at('2026-05-06'), '2026-05-19')).thenFails('ASSIGNMENT.INVALID_EXTENSION');
    });

    it('is refused with a reason and keeps its due date', () => {
      const assignment = given(new Assignment(ID), [...working, requested()])
        .when((a) => a.refuseExtension('x1', 'Thời hạn do Bộ ấn định', at('2026-05-06')))
        .then([ev('AssignmentExtensionRefused', { requestId: 'x1', reason: 'Thời hạn do Bộ ấn định', at: at('2026-05-06') })]);
      expect(assignment).toMatchObject({ dueBefore: '2026-05-20', pendingExtension: null });
      given(new Assignment(ID), [...working, requested()]).when((a) => a.refuseExtension('x1', ' ', at('2026-05-06'))).thenFails('ASSIGNMENT.REASON_REQUIRED');
    });

    it('asks only for a real day after the current due date, of a case that has one', () => {
      const ask = (day: string) => (a: Assignment) => a.requestExtension('x1', day, 'Chờ số liệu', at('2026-05-05'));
      given(new Assignment(ID), working).when(ask('2026-06-31')).thenFails('ASSIGNMENT.INVALID_EXTENSION');
      given(new Assignment(ID), working).when(ask('2026-05-20')).thenFails('ASSIGNMENT.INVALID_EXTENSION');
      given(new Assignment(ID), working).when(ask('2026-05-01')).thenFails('ASSIGNMENT.INVALID_EXTENSION');
      given(new Assignment(ID), [opened({ timeline: { ...fixed, kind: 'ongoing', dueBefore: null }, dueBefore: null })]).when(ask('2026-06-30')).thenFails('ASSIGNMENT.INVALID_EXTENSION');
    });

    it('has one request pending at a time', () => {
      given(new Assignment(ID), [...working, requested()])
        .when((a) => a.requestExtension('x2', '2026-07-31', 'Thêm thời gian', at('2026-05-07')))
        .thenFails('ASSIGNMENT.EXTENSION_PENDING');
    });

    it('grants or refuses only the pending request', () => {
      given(new Assignment(ID), working).when((a) => a.grantExtension('x1', at('2026-05-06'))).thenFails('ASSIGNMENT.NO_SUCH_REQUEST');
      const error = given(new Assignment(ID), [...working, requested()]).when((a) => a.refuseExtension('x9', 'Không', at('2026-05-06'))).thenFails('ASSIGNMENT.NO_SUCH_REQUEST');
      expect(error.details).toEqual({ requestId: 'x9', pendingRequestId: 'x1' });
      given(new Assignment(ID), [...working, requested(), granted()]).when((a) => a.grantExtension('x1', at('2026-05-07'))).thenFails('ASSIGNMENT.NO_SUCH_REQUEST');
    });
  });

  describe('review', () => {
    it('returns handed-in work for rework, with a reason', () => {
      const assignment = given(new Assignment(ID), handedIn).when((a) => a.return('Thiếu số liệu cấp xã', at('2026-05-12'))).then([returned]);
      expect(assignment.status).toBe('returned');
      given(new Assignment(ID), handedIn).when((a) => a.return('', at('2026-05-12'))).thenFails('ASSIGNMENT.REASON_REQUIRED');
    });

    it('takes returned work up again on the next progress report or submission', () => {
      const reworked = given(new Assignment(ID), [...handedIn, returned]).when((a) => a.reportProgress(80, 'Bổ sung số liệu', at('2026-05-13'))).then([
        ev('AssignmentProgressReported', { percent: 80, note: 'Bổ sung số liệu', at: at('2026-05-13') }),
      ]);
      expect(reworked.status).toBe('in_progress');
      const resubmission = { deliverableId: 'd2', title: 'Báo cáo (bổ sung)', link: 'https://vanban.sonla.gov.vn/45b' };
      const resubmitted = given(new Assignment(ID), [...handedIn, returned])
        .when((a) => a.submitDeliverable(resubmission, at('2026-05-14')))
        .then([ev('AssignmentDeliverableSubmitted', { ...resubmission, at: at('2026-05-14') })]);
      expect(resubmitted.status).toBe('submitted');
      given(new Assignment(ID), [...handedIn, returned, ev('AssignmentDeliverableSubmitted', { ...resubmission, at: at('2026-05-14') })])
        .when((a) => a.accept(at('2026-05-15')))
        .then([accepted]);
    });

    it('blocks an open case and unblocks it back to where it was', () => {
      for (const history of [[opened()], [opened(), acknowledged], working, handedIn, [...handedIn, returned]]) {
        const before = load(history).status;
        const assignment = given(new Assignment(ID), history)
          .when((a) => {
            a.block('Chờ hướng dẫn của Bộ', at('2026-05-01'));
            expect(a.status).toBe('blocked');
            a.unblock('Đã có hướng dẫn', at('2026-05-03'));
          })
          .then([blocked, ev('AssignmentUnblocked', { reason: 'Đã có hướng dẫn', at: at('2026-05-03') })]);
        expect(assignment.status).toBe(before);
      }
      given(new Assignment(ID), [...working, blocked]).when((a) => a.block('Lần nữa', at('2026-05-02'))).thenFails('ASSIGNMENT.TRANSITION_NOT_ALLOWED');
      given(new Assignment(ID), working).when((a) => a.block('', at('2026-05-02'))).thenFails('ASSIGNMENT.REASON_REQUIRED');
    });

    it('reassigns a case to another agency, which acknowledges it afresh', () => {
      const assignment = given(new Assignment(ID), [...working, requested()])
        .when((a) => a.reassign(OTHER, 'Đúng chức năng Sở Y tế', at('2026-05-06')))
        .then([ev('AssignmentReassigned', { fromAgencyId: AGENCY, toAgencyId: OTHER, reason: 'Đúng chức năng Sở Y tế', at: at('2026-05-06') })]);
      expect(assignment).toMatchObject({ assignedAgencyId: OTHER, status: 'assigned', focalPoint: null, pendingExtension: null, percent: 40 });
      given(new Assignment(ID), working).when((a) => a.reassign(AGENCY, 'Nhầm', at('2026-05-06'))).thenFails('ASSIGNMENT.SAME_AGENCY');
    });

    it('keeps a waiting case waiting when it is reassigned', () => {
      const assignment = given(new Assignment(ID), [opened({ timeline: gated, dueBefore: null, status: 'waiting' })])
        .when((a) => a.reassign(OTHER, 'Đúng chức năng', at('2026-05-06')))
        .then([ev('AssignmentReassigned', { fromAgencyId: AGENCY, toAgencyId: OTHER, reason: 'Đúng chức năng', at: at('2026-05-06') })]);
      expect(assignment.status).toBe('waiting');
    });
  });

  describe('cancellation', () => {
    it('cancels a case from any state that is not final', () => {
      const histories = [
        [opened({ timeline: gated, dueBefore: null, status: 'waiting' })], [opened()], [opened(), acknowledged], working, handedIn,
        [...handedIn, returned], [...working, blocked],
      ];
      for (const history of histories) {
        const assignment = given(new Assignment(ID), history).when((a) => a.cancel('Nhiệm vụ bị bãi bỏ', 2)).then([cancelled]);
        expect(assignment).toMatchObject({ status: 'cancelled', isFinal: true, planVersion: 2, allowedActions: [] });
      }
      given(new Assignment(ID), [opened()]).when((a) => a.cancel('', 2)).thenFails('ASSIGNMENT.REASON_REQUIRED');
    });
  });

  describe('gates, due dates and plan amendments', () => {
    const waitingForGate = opened({ timeline: gated, dueBefore: null, status: 'waiting' });
    const waitingForDate = opened({ timeline: dependent, dueBefore: null, status: 'waiting' });

    it('opens a gated case when an operator records its gate, with the due date that came with it', () => {
      const assignment = given(new Assignment(ID), [waitingForGate])
        .when((a) => a.openGate('Bộ Công an tổ chức tập huấn ngày 12/6/2026', at('2026-06-12'), '2026-09-01'))
        .then([ev('AssignmentGateOpened', { gate: 'Bộ Công an tổ chức tập huấn ngày 12/6/2026', at: at('2026-06-12'), dueBefore: '2026-09-01' })]);
      expect(assignment).toMatchObject({ status: 'assigned', dueBefore: '2026-09-01', waitingFor: null });
      given(new Assignment(ID), [waitingForGate]).when((a) => a.openGate(' ', at('2026-06-12'))).thenFails('ASSIGNMENT.GATE_REQUIRED');
      given(new Assignment(ID), [opened()]).when((a) => a.openGate('Tập huấn', at('2026-06-12'))).thenFails('ASSIGNMENT.TRANSITION_NOT_ALLOWED');
    });

    it('opens a dependent case when the consultation’s deadline arrives', () => {
      const assignment = given(new Assignment(ID), [waitingForDate])
        .when((a) => a.setDueDate('2026-07-15', 'consultation', 'consultation-nd-an-ninh-mang'))
        .then([ev('AssignmentDueDateSet', { dueBefore: '2026-07-15', source: 'consultation', sourceRef: 'consultation-nd-an-ninh-mang' })]);
      expect(assignment).toMatchObject({ status: 'assigned', dueBefore: '2026-07-15' });
    });

    it('moves the due date of an open case, and hears the same date again as no news', () => {
      const dated = ev('AssignmentDueDateSet', { dueBefore: '2026-07-20', source: 'consultation' });
      given(new Assignment(ID), working).when((a) => a.setDueDate('2026-07-20', 'consultation')).then([dated]);
      given(new Assignment(ID), [...working, dated]).when((a) => a.setDueDate('2026-07-20', 'consultation')).then([]);
      given(new Assignment(ID), working).when((a) => a.setDueDate('2026-07-32', 'operator')).thenFails('ASSIGNMENT.INVALID_DATE');
    });

    it('records an amendment as the differences it makes to the case', () => {
      const assignment = given(new Assignment(ID), working)
        .when((a) =>
          a.applyPlanChange({
            planVersion: 2, taskTitle: 'Rà soát, hệ thống hóa văn bản', timeline: fixed, dueBefore: '2026-05-20', role: 'lead', leadAgencyIds: [LEAD, AGENCY],
          }),
        )
        .then([
          ev('AssignmentChanged', {
            planVersion: 2, changes: ['taskTitle', 'role', 'leadAgencyIds'], taskTitle: 'Rà soát, hệ thống hóa văn bản', role: 'lead', leadAgencyIds: [LEAD, AGENCY],
          }),
        ]);
      expect(assignment).toMatchObject({ planVersion: 2, role: 'lead', status: 'in_progress', leadAgencyIds: [LEAD, AGENCY] });
    });

    it('ignores an amendment it has seen, an older one, or one that changes nothing of the case', () => {
      const changed = ev('AssignmentChanged', { planVersion: 2, changes: ['taskTitle'], taskTitle: 'Mới' });
      given(new Assignment(ID), [...working, changed]).when((a) => a.applyPlanChange({ planVersion: 2, taskTitle: 'Khác' })).then([]);
      given(new Assignment(ID), [...working, changed]).when((a) => a.applyPlanChange({ planVersion: 1, taskTitle: 'Cũ' })).then([]);
      given(new Assignment(ID), working).when((a) => a.applyPlanChange({ ...spec(), planVersion: 3 })).then([]);
    });

    it('keeps a granted extension while the plan’s own date stays, and follows the plan when its date changes', () => {
      const extended = [...working, requested(), granted()];
      const kept = given(new Assignment(ID), extended).when((a) => a.applyPlanChange({ planVersion: 2, dueBefore: '2026-05-20' })).then([]);
      expect(kept.dueBefore).toBe('2026-06-30');
      const moved = given(new Assignment(ID), extended)
        .when((a) => a.applyPlanChange({ planVersion: 2, dueBefore: '2026-08-01' }))
        .then([ev('AssignmentChanged', { planVersion: 2, changes: ['dueBefore'], dueBefore: '2026-08-01' })]);
      expect(moved.dueBefore).toBe('2026-08-01');
    });

    it('opens a waiting case when an amendment gives it a date', () => {
      const assignment = given(new Assignment(ID), [waitingForDate])
        .when((a) => a.applyPlanChange({ planVersion: 2, timeline: fixed, dueBefore: '2026-05-20' }))
        .then([ev('AssignmentChanged', { planVersion: 2, changes: ['timeline', 'dueBefore', 'status'], timeline: fixed, dueBefore: '2026-05-20', status: 'assigned' })]);
      expect(assignment).toMatchObject({ status: 'assigned', dueBefore: '2026-05-20' });
    });

    it('does not change a final case', () => {
      given(new Assignment(ID), [...handedIn, accepted]).when((a) => a.applyPlanChange({ planVersion: 2, taskTitle: 'Mới' })).thenFails('ASSIGNMENT.TRANSITION_NOT_ALLOWED');
    });
  });

  describe('deadlines', () => {
    /** Checks the case on each day in turn: what each check raised. */
    function checkDays(history: AssignmentEvent[], days: string[]): [string, string[]][] {
      const assignment = load(history);
      return days.map((day) => {
        const before = assignment.pendingEvents.length;
        assignment.checkDeadlines(day);
        return [day, assignment.pendingEvents.slice(before).map((e) => (e.type === 'AssignmentDueSoon' ? `DueSoon(${e.data.daysLeft})` : e.type.replace('Assignment', '')))];
      });
    }

    it('reminds a week and a day before the due date, once each', () => {
      expect(checkDays(working, ['2026-05-12', '2026-05-13', '2026-05-13', '2026-05-15', '2026-05-19', '2026-05-19'])).toEqual([
        ['2026-05-12', []],
        ['2026-05-13', ['DueSoon(7)']],
        ['2026-05-13', []],
        ['2026-05-15', []],
        ['2026-05-19', ['DueSoon(1)']],
        ['2026-05-19', []],
      ]);
      given(new Assignment(ID), working).when((a) => a.checkDeadlines('2026-05-13')).then([ev('AssignmentDueSoon', { dueBefore: '2026-05-20', daysLeft: 7 })]);
    });

    it('is overdue on the due date itself, and escalates to the plan’s coordinator a week later, once each', () => {
      const history = [...working, ev('AssignmentDueSoon', { dueBefore: '2026-05-20', daysLeft: 7 }), ev('AssignmentDueSoon', { dueBefore: '2026-05-20', daysLeft: 1 })];
      expect(checkDays(history, ['2026-05-19', '2026-05-20', '2026-05-20', '2026-05-26', '2026-05-27', '2026-05-27', '2026-06-30'])).toEqual([
        ['2026-05-19', []],
        ['2026-05-20', ['Overdue']],
        ['2026-05-20', []],
        ['2026-05-26', []],
        ['2026-05-27', ['Escalated']],
        ['2026-05-27', []],
        ['2026-06-30', []],
      ]);
      given(new Assignment(ID), [...history, ev('AssignmentOverdue', { dueBefore: '2026-05-20' })])
        .when((a) => a.checkDeadlines('2026-05-27'))
        .then([ev('AssignmentEscalated', { dueBefore: '2026-05-20', daysOverdue: 7, toAgencyId: PLAN_COORDINATOR })]);
    });

    it('raises every threshold it missed, in order, when first checked late', () => {
      given(new Assignment(ID), working)
        .when((a) => a.checkDeadlines('2026-06-10'))
        .then([
          ev('AssignmentDueSoon', { dueBefore: '2026-05-20', daysLeft: 7 }),
          ev('AssignmentDueSoon', { dueBefore: '2026-05-20', daysLeft: 1 }),
          ev('AssignmentOverdue', { dueBefore: '2026-05-20' }),
          ev('AssignmentEscalated', { dueBefore: '2026-05-20', daysOverdue: 7, toAgencyId: PLAN_COORDINATOR }),
        ]);
      expect(checkDays(working, ['2026-05-19', '2026-06-10'])).toEqual([['2026-05-19', ['DueSoon(7)', 'DueSoon(1)']], ['2026-06-10', ['Overdue', 'Escalated']]]);
    });

    it('re-arms every reminder for a new due date', () => {
      const lateThenExtended = [
        ...working,
        ev('AssignmentDueSoon', { dueBefore: '2026-05-20', daysLeft: 7 }),
        ev('AssignmentDueSoon', { dueBefore: '2026-05-20', daysLeft: 1 }),
        ev('AssignmentOverdue', { dueBefore: '2026-05-20' }),
        requested(),
        granted(),
      ];
      expect(checkDays(lateThenExtended, ['2026-05-21', '2026-06-23', '2026-06-29', '2026-06-30', '2026-07-07', '2026-07-08'])).toEqual([
        ['2026-05-21', []],
        ['2026-06-23', ['DueSoon(7)']],
        ['2026-06-29', ['DueSoon(1)']],
        ['2026-06-30', ['Overdue']],
        ['2026-07-07', ['Escalated']],
        ['2026-07-08', []],
      ]);
      const redated = [...working, ev('AssignmentOverdue', { dueBefore: '2026-05-20' }), ev('AssignmentDueDateSet', { dueBefore: '2026-05-25', source: 'operator' })];
      expect(checkDays(redated, ['2026-05-25'])).toEqual([['2026-05-25', ['DueSoon(7)', 'DueSoon(1)', 'Overdue']]]);
    });

    it('raises nothing for handed-in, accepted, cancelled or waiting cases, but again for returned work', () => {
      const late = '2026-06-10';
      given(new Assignment(ID), handedIn).when((a) => a.checkDeadlines(late)).then([]);
      given(new Assignment(ID), [...handedIn, accepted]).when((a) => a.checkDeadlines(late)).then([]);
      given(new Assignment(ID), [opened(), cancelled]).when((a) => a.checkDeadlines(late)).then([]);
      given(new Assignment(ID), [opened({ timeline: gated, dueBefore: '2026-05-20', status: 'waiting' })]).when((a) => a.checkDeadlines(late)).then([]);
      given(new Assignment(ID), [opened({ timeline: dependent, dueBefore: null, status: 'waiting' })]).when((a) => a.checkDeadlines(late)).then([]);
      expect(checkDays([...handedIn, returned], [late])).toEqual([[late, ['DueSoon(7)', 'DueSoon(1)', 'Overdue', 'Escalated']]]);
    });

    it('escalates to a lead when the plan names no coordinator, and to nobody when the agency is the only lead', () => {
      const noCoordinator = [opened({ planCoordinatorAgencyId: null }), acknowledged];
      given(new Assignment(ID), noCoordinator)
        .when((a) => a.checkDeadlines('2026-06-10'))
        .then([
          ev('AssignmentDueSoon', { dueBefore: '2026-05-20', daysLeft: 7 }),
          ev('AssignmentDueSoon', { dueBefore: '2026-05-20', daysLeft: 1 }),
          ev('AssignmentOverdue', { dueBefore: '2026-05-20' }),
          ev('AssignmentEscalated', { dueBefore: '2026-05-20', daysOverdue: 7, toAgencyId: LEAD }),
        ]);
      const ownLead = [opened({ planCoordinatorAgencyId: null, leadAgencyIds: [AGENCY], role: 'lead' }), acknowledged];
      expect(checkDays(ownLead, ['2026-06-10'])).toEqual([['2026-06-10', ['DueSoon(7)', 'DueSoon(1)', 'Overdue']]]);
    });

    it('takes a real day', () => {
      given(new Assignment(ID), working).when((a) => a.checkDeadlines('2026-13-01')).thenFails('ASSIGNMENT.INVALID_DATE');
    });
  });
});

describe('authorize', () => {
  const WORK: AssignmentAction[] = ['acknowledge', 'reportProgress', 'submitDeliverable', 'requestExtension'];
  const REVIEW: AssignmentAction[] = ['grantExtension', 'refuseExtension', 'accept', 'return', 'reassign', 'block', 'unblock'];
  const RECORD: AssignmentAction[] = ['openGate', 'setDueDate', 'applyPlanChange', 'cancel'];
  const ALL = [...WORK, ...REVIEW, ...RECORD];

  const actors: [string, AssignmentActor, AssignmentAction[]][] = [
    ['a member of the assigned agency', { agencyId: AGENCY, roles: ['member'] }, WORK],
    ['a coordinator of the assigned agency', { agencyId: AGENCY, roles: ['coordinator'] }, WORK],
    ['another agency', { agencyId: OTHER, roles: ['member', 'coordinator'] }, []],
    ['the lead agency as coordinator', { agencyId: LEAD, roles: ['coordinator'] }, REVIEW],
    ['the lead agency as a mere member', { agencyId: LEAD, roles: ['member'] }, []],
    ['the plan’s coordinator agency', { agencyId: PLAN_COORDINATOR, roles: ['coordinator'] }, REVIEW],
    ['an operator', { agencyId: 'son-la.van-phong-ubnd-tinh', roles: ['operator'] }, [...REVIEW, ...RECORD]],
    ['an auditor, even of the plan’s coordinator agency', { agencyId: PLAN_COORDINATOR, roles: ['auditor'] }, []],
  ];

  it.each(actors)('lets %s do exactly what its part allows', (_, actor, permitted) => {
    const assignment = load([opened()]);
    expect(ALL.filter((action) => mayPerform(assignment, actor, action))).toEqual(ALL.filter((action) => permitted.includes(action)));
  });

  it('throws ASSIGNMENT.FORBIDDEN (403) for anything else, and returns quietly when allowed', () => {
    const assignment = load([opened()]);
    expect(authorize(assignment, { agencyId: AGENCY, roles: ['member'] }, 'acknowledge')).toBeUndefined();
    let error: unknown;
    try {
      authorize(assignment, { agencyId: AGENCY, roles: ['member'] }, 'accept');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error).toMatchObject({ code: 'ASSIGNMENT.FORBIDDEN', kind: 'forbidden', details: { action: 'accept', agencyId: AGENCY, assignmentId: ID } });
    expect((error as DomainError).message).toBe(`Agency ${AGENCY} may not accept case ${ID}`);
  });

  it('does not let a lead review its own case; the plan’s coordinator does', () => {
    const leadsOwn = load([opened({ agencyId: LEAD, role: 'lead' })]);
    expect(mayPerform(leadsOwn, { agencyId: LEAD, roles: ['coordinator'] }, 'acknowledge')).toBe(true);
    expect(mayPerform(leadsOwn, { agencyId: LEAD, roles: ['coordinator'] }, 'accept')).toBe(false);
    expect(mayPerform(leadsOwn, { agencyId: PLAN_COORDINATOR, roles: ['coordinator'] }, 'accept')).toBe(true);
  });

  it('follows the case to its new agency', () => {
    const moved = load([...working, ev('AssignmentReassigned', { fromAgencyId: AGENCY, toAgencyId: OTHER, reason: 'Đúng chức năng', at: at('2026-05-06') })]);
    expect(mayPerform(moved, { agencyId: OTHER, roles: ['member'] }, 'acknowledge')).toBe(true);
    expect(mayPerform(moved, { agencyId: AGENCY, roles: ['member'] }, 'acknowledge')).toBe(false);
  });
});

describe('assignment events', () => {
  it('registers every type the contract publishes, at schema version 1', () => {
    expect(ASSIGNMENT_EVENT_DEFINITIONS).toEqual(TASK_ASSIGNMENT_EVENT_TYPES.map((type) => ({ type, schemaVersion: 1 })));
  });
});

describe('Assignment fulfilled by a consultation response', () => {
  it('takes the response document as its deliverable and is done, even from waiting', () => {
    given(new Assignment(ID), [opened({ timeline: dependent, dueBefore: null, status: 'waiting' })])
      .when((a) => a.fulfil(report, at('2026-06-10')))
      .then([
        ev('AssignmentDeliverableSubmitted', { ...report, at: at('2026-06-10') }),
        ev('AssignmentAccepted', { at: at('2026-06-10'), note: 'Đã gửi văn bản góp ý / the response was submitted' }),
      ]);
  });

  it('refuses once the case is accepted or cancelled', () => {
    given(new Assignment(ID), [...handedIn, accepted]).when((a) => a.fulfil({ ...report, deliverableId: 'd2' }, at('2026-06-10'))).thenFails('ASSIGNMENT.TRANSITION_NOT_ALLOWED');
    given(new Assignment(ID), [opened(), cancelled]).when((a) => a.fulfil(report, at('2026-06-10'))).thenFails('ASSIGNMENT.TRANSITION_NOT_ALLOWED');
  });
});
