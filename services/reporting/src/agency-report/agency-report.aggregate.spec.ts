import { CaseFigures } from '@thihanh/contracts';
import { given } from '@thihanh/testing';
import { AgencyReport } from './agency-report.aggregate';
import { AgencyReportEvent } from './agency-report.events';

const ID = '00000000-0000-7000-8000-0000000000a1';
const subject = { roundId: 'r', planId: 'p', agencyId: 'bac-ninh.so-tu-phap' };
const figures: CaseFigures = { total: 9, doneOnTime: 2, doneLate: 1, openOnTime: 0, openOverdue: 6, waiting: 0 };
const narrative = { results: 'Đã tham gia ý kiến.', difficulties: 'Thiếu kinh phí', proposals: '' };
const at = (day: string) => `${day}T02:00:00.000Z`;
const submitted = (day: string, late = false): AgencyReportEvent => ({
  type: 'AgencyReportSubmitted', data: { reportId: ID, ...subject, figures, tasks: [], narrative, late, at: at(day) },
});
const returned: AgencyReportEvent = { type: 'AgencyReportReturned', data: { reportId: ID, roundId: 'r', agencyId: subject.agencyId, reason: 'Bổ sung', at: at('2027-01-11') } };

describe('an agency’s report', () => {
  it('is submitted with its figures and narrative, late when the due day has begun in Vietnam', () => {
    given(new AgencyReport(ID)).when((r) => r.submit(subject, { figures, tasks: [], narrative }, '2027-01-15', at('2027-01-10'))).then([submitted('2027-01-10')]);
    // 15 January 00:30 in Vietnam is 14 January 17:30 UTC: already late.
    const late = given(new AgencyReport(ID)).when((r) => r.submit(subject, { figures, tasks: [], narrative }, '2027-01-15', '2027-01-14T17:30:00.000Z')).then([
      { type: 'AgencyReportSubmitted', data: { reportId: ID, ...subject, figures, tasks: [], narrative, late: true, at: '2027-01-14T17:30:00.000Z' } },
    ]);
    expect(late.late).toBe(true);
  });

  it('states its results', () => {
    given(new AgencyReport(ID)).when((r) => r.submit(subject, { figures, tasks: [], narrative: { ...narrative, results: '  ' } }, '2027-01-15', at('2027-01-10'))).thenFails('REPORT.RESULTS_REQUIRED');
  });

  it('is accepted, or returned with a reason and submitted again', () => {
    given(new AgencyReport(ID), [submitted('2027-01-10')]).when((r) => r.giveBack('Bổ sung', at('2027-01-11'))).then([returned]);
    given(new AgencyReport(ID), [submitted('2027-01-10')]).when((r) => r.giveBack(' ', at('2027-01-11'))).thenFails('REPORT.REASON_REQUIRED');
    given(new AgencyReport(ID), [submitted('2027-01-10'), returned]).when((r) => r.submit(subject, { figures, tasks: [], narrative }, '2027-01-15', at('2027-01-13'))).then([submitted('2027-01-13')]);
    given(new AgencyReport(ID), [submitted('2027-01-10'), returned]).when((r) => r.accept(at('2027-01-13'))).thenFails('REPORT.TRANSITION_NOT_ALLOWED');
    given(new AgencyReport(ID)).when((r) => r.accept(at('2027-01-13'))).thenFails('REPORT.NOT_FOUND');
    const accepted = given(new AgencyReport(ID), [submitted('2027-01-10')]).when((r) => r.accept(at('2027-01-12'))).then([
      { type: 'AgencyReportAccepted', data: { reportId: ID, roundId: 'r', agencyId: subject.agencyId, at: at('2027-01-12') } },
    ]);
    expect(accepted.allowedActions).toEqual([]);
  });
});
