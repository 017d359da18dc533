import { Party, PlanContent, PlanTask } from '@thihanh/contracts';
import { given } from '@thihanh/testing';
import { isRealDay } from '@thihanh/domain';
import { Plan, diffPlans } from './plan.aggregate';

const police: Party = { name: 'Công an tỉnh', agencyId: 'son-la.cong-an-tinh', group: false };
const departments: Party = {
  name: 'các sở, ban, ngành của tỉnh',
  agencyId: 'son-la.group.cac-so-ban-nganh',
  group: true,
  members: ['son-la.so-tu-phap', 'son-la.so-tai-chinh'],
};

function aTask(overrides: Partial<PlanTask> = {}): PlanTask {
  return {
    number: '1',
    parent: null,
    title: 'Tổ chức tuyên truyền, phổ biến, hướng dẫn thi hành Luật',
    content: '',
    lead: [police],
    implementers: [],
    coordinators: [departments],
    timeline: { kind: 'recurring', dueBefore: null, fromYear: 2026, dueMonthDay: null, text: 'năm 2026 và các năm tiếp theo' },
    deliverables: ['Hội nghị, hội thảo'],
    legalRefs: [],
    ...overrides,
  };
}

function aPlan(overrides: Partial<PlanContent> = {}): PlanContent {
  return {
    province: 'son-la',
    number: null,
    title: 'Kế hoạch triển khai thi hành Luật An ninh mạng trên địa bàn tỉnh Sơn La',
    issuer: 'UBND tỉnh Sơn La',
    place: 'Sơn La',
    issuedOn: null,
    legalBasis: [{ text: 'Luật An ninh mạng số 116/2025/QH15', documentNumber: '116/2025/QH15' }],
    purpose: null,
    requirements: null,
    funding: null,
    reporting: [{ frequency: 'yearly', dueMonthDay: '11-15', recipient: 'Công an tỉnh', recipientAgencyId: 'son-la.cong-an-tinh' }],
    recipients: [],
    signer: null,
    coordinatorAgencyId: 'son-la.cong-an-tinh',
    tasks: [aTask()],
    ...overrides,
  };
}

const drafted = (content = aPlan()) => ({ type: 'PlanDrafted' as const, data: { planId: 'p1', content, source: null } });
const issued = (content = aPlan()) => ({ type: 'PlanIssued' as const, data: { planId: 'p1', planVersion: 1, content } });

describe('Plan', () => {
  it('drafts a plan from its content', () => {
    given(new Plan('p1'))
      .when((p) => p.draft(aPlan()))
      .then([drafted()]);
  });

  it('refuses a date that is not a real date', () => {
    const content = aPlan({ tasks: [aTask({ timeline: { kind: 'fixed', dueBefore: '2026-02-30', fromYear: null, dueMonthDay: null, text: 'trước ngày 30/02/2026' } })] });
    given(new Plan('p1')).when((p) => p.draft(content)).thenFails('PLAN.INVALID_DATE');
  });

  it('refuses duplicate task numbers and parents that do not exist', () => {
    given(new Plan('p1')).when((p) => p.draft(aPlan({ tasks: [aTask(), aTask()] }))).thenFails('PLAN.DUPLICATE_TASK_NUMBER');
    given(new Plan('p1')).when((p) => p.draft(aPlan({ tasks: [aTask({ number: '4.a', parent: '4' })] }))).thenFails('PLAN.UNKNOWN_PARENT_TASK');
  });

  it('issues a complete draft as version 1', () => {
    given(new Plan('p1'), [drafted()])
      .when((p) => p.issue(aPlan({ number: '123/KH-UBND', issuedOn: '2026-04-20' })))
      .then([issued(aPlan({ number: '123/KH-UBND', issuedOn: '2026-04-20' }))]);
  });

  it('refuses to issue a plan with no task', () => {
    given(new Plan('p1'), [drafted(aPlan({ tasks: [] }))]).when((p) => p.issue(aPlan({ tasks: [] }))).thenFails('PLAN.NO_TASKS');
  });

  it('refuses to issue a leaf task nobody leads or implements, but not a parent task', () => {
    const tasks = [aTask({ number: '4', lead: [], coordinators: [] }), aTask({ number: '4.a', parent: '4' }), aTask({ number: '5', lead: [] })];
    const error = given(new Plan('p1'), [drafted(aPlan({ tasks }))]).when((p) => p.issue(aPlan({ tasks }))).thenFails('PLAN.TASK_WITHOUT_RESPONSIBLE');
    expect(error.details).toEqual({ tasks: ['5'] });
  });

  it('refuses to issue while an agency is not in the directory', () => {
    const tasks = [aTask({ coordinators: [{ name: 'Sở Không Tồn Tại', agencyId: null, group: false }] })];
    given(new Plan('p1'), [drafted(aPlan({ tasks }))]).when((p) => p.issue(aPlan({ tasks }))).thenFails('PLAN.UNRESOLVED_AGENCIES');
  });

  it('changes an issued plan only by amendment', () => {
    given(new Plan('p1'), [drafted(), issued()]).when((p) => p.revise(aPlan({ title: 'Khác' }))).thenFails('PLAN.NOT_A_DRAFT');
    given(new Plan('p1'), [drafted()]).when((p) => p.amend(aPlan({ title: 'Khác' }), 'sửa')).thenFails('PLAN.NOT_ISSUED');
  });

  it('amends an issued plan into a new version carrying its diff', () => {
    const amended = aPlan({ tasks: [aTask({ deliverables: ['Hội nghị', 'Phóng sự'] }), aTask({ number: '7', title: 'Sơ kết' })] });
    const plan = given(new Plan('p1'), [drafted(), issued()])
      .when((p) => p.amend(amended, 'Bổ sung nhiệm vụ sơ kết'))
      .then([
        {
          type: 'PlanAmended',
          data: {
            planId: 'p1',
            planVersion: 2,
            reason: 'Bổ sung nhiệm vụ sơ kết',
            content: amended,
            diff: { added: ['7'], removed: [], changed: [{ number: '1', fields: ['deliverables'] }], fields: [] },
          },
        },
      ]);
    expect(plan.planVersion).toBe(2);
  });

  it('refuses an amendment that changes nothing', () => {
    given(new Plan('p1'), [drafted(), issued()]).when((p) => p.amend(aPlan(), 'không đổi')).thenFails('PLAN.AMENDMENT_CHANGES_NOTHING');
  });

  it('closes an issued plan and then refuses any change', () => {
    const closed = given(new Plan('p1'), [drafted(), issued()])
      .when((p) => p.close('Hoàn thành', '2027-12-31'))
      .then([{ type: 'PlanClosed', data: { planId: 'p1', reason: 'Hoàn thành', closedOn: '2027-12-31' } }]);
    expect(closed.status).toBe('closed');
    given(new Plan('p1'), [drafted(), issued(), { type: 'PlanClosed', data: { planId: 'p1', reason: 'x', closedOn: '2027-12-31' } }])
      .when((p) => p.amend(aPlan({ title: 'Khác' }), 'x'))
      .thenFails('PLAN.NOT_ISSUED');
  });
});

describe('plan helpers', () => {
  it('knows real days from impossible ones', () => {
    expect(['2026-05-20', '2028-02-29'].map(isRealDay)).toEqual([true, true]);
    expect(['2026-02-29', '2026-13-01', '20/5/2026', '2026-04-31'].map(isRealDay)).toEqual([false, false, false, false]);
  });

  it('diffs plan-level fields as well as tasks', () => {
    expect(diffPlans(aPlan(), aPlan({ number: '123/KH-UBND', tasks: [] }))).toEqual({ added: [], removed: ['1'], changed: [], fields: ['number'] });
  });
});
