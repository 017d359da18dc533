import { given } from '@thihanh/testing';
import { RoundOpening, ReportingRound } from './round.aggregate';
import { RoundEvent } from './round.events';

const ID = '00000000-0000-7000-8000-0000000000r1';
const spec: RoundOpening = {
  planId: 'p', kind: 'yearly', title: 'Báo cáo kết quả thực hiện năm 2026', period: { from: '2026-01-01', to: '2026-12-31' }, dueBefore: '2027-01-15',
  coordinatorAgencyId: 'bac-ninh.cong-an-tinh', agencyIds: ['bac-ninh.so-y-te', 'bac-ninh.so-tu-phap', 'bac-ninh.cong-an-tinh', 'bac-ninh.so-tu-phap'], taskNumbers: [],
  note: null, source: 'plan-rule',
};
const opened: RoundEvent = { type: 'ReportingRoundOpened', data: { roundId: ID, ...spec, agencyIds: ['bac-ninh.so-tu-phap', 'bac-ninh.so-y-te'] } };
const reminder = (daysLeft: 7 | 1 | 0, agencyIds: string[]): RoundEvent => ({ type: 'ReportingReminderSent', data: { roundId: ID, dueBefore: '2027-01-15', daysLeft, agencyIds } });

describe('a reporting round', () => {
  it('asks each agency once, never the coordinator that receives the reports', () => {
    given(new ReportingRound(ID)).when((r) => r.open(spec)).then([opened]);
  });

  it('refuses a period that ends before it starts, an impossible date, or nobody to ask', () => {
    given(new ReportingRound(ID)).when((r) => r.open({ ...spec, period: { from: '2026-12-31', to: '2026-01-01' } })).thenFails('ROUND.INVALID');
    given(new ReportingRound(ID)).when((r) => r.open({ ...spec, dueBefore: '2027-02-30' })).thenFails('ROUND.INVALID');
    given(new ReportingRound(ID)).when((r) => r.open({ ...spec, agencyIds: ['bac-ninh.cong-an-tinh'] })).thenFails('ROUND.INVALID');
  });

  it('reminds those who have not submitted 7 and 1 days before, lists the late on the day, each once', () => {
    const none = new Set<string>();
    given(new ReportingRound(ID), [opened]).when((r) => r.checkDue('2027-01-07', none)).then([]);
    given(new ReportingRound(ID), [opened]).when((r) => r.checkDue('2027-01-08', new Set(['bac-ninh.so-y-te']))).then([reminder(7, ['bac-ninh.so-tu-phap'])]);
    given(new ReportingRound(ID), [opened, reminder(7, ['bac-ninh.so-tu-phap'])]).when((r) => r.checkDue('2027-01-10', none)).then([]);
    given(new ReportingRound(ID), [opened, reminder(7, [])]).when((r) => r.checkDue('2027-01-14', none)).then([reminder(1, ['bac-ninh.so-tu-phap', 'bac-ninh.so-y-te'])]);
    given(new ReportingRound(ID), [opened]).when((r) => r.checkDue('2027-01-20', none)).then([reminder(0, ['bac-ninh.so-tu-phap', 'bac-ninh.so-y-te'])]);
    given(new ReportingRound(ID), [opened]).when((r) => r.checkDue('2027-01-14', new Set(['bac-ninh.so-y-te', 'bac-ninh.so-tu-phap']))).then([]);
  });

  it('issues the province’s report once, then takes no more', () => {
    const issue = { province: 'bac-ninh', document: { title: 't', number: '25/BC-UBND', date: '2027-01-25', sha256: 'a'.repeat(64) },
      figures: { total: 1, doneOnTime: 1, doneLate: 0, openOnTime: 0, openOverdue: 0, waiting: 0 }, reportedAgencyIds: [], missingAgencyIds: [], at: '2027-01-25T02:00:00.000Z' };
    const issued = given(new ReportingRound(ID), [opened]).when((r) => r.issueProvincialReport(issue)).then([
      { type: 'ProvincialReportIssued', data: { provincialReportId: ID, roundId: ID, planId: 'p', ...issue } },
    ]);
    expect(issued.status).toBe('reported');
    given(new ReportingRound(ID), [opened, { type: 'ProvincialReportIssued', data: { provincialReportId: ID, roundId: ID, planId: 'p', ...issue } }])
      .when((r) => r.issueProvincialReport(issue)).thenFails('ROUND.ALREADY_ISSUED');
  });
});
