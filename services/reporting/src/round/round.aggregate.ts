import { CaseFigures, ProvincialReportIssuedV1, ReportingRoundOpenedV1, RoundKind } from '@thihanh/contracts';
import { daysBetween, EventSourcedAggregate, isRealDay } from '@thihanh/domain';
import { alreadyIssued, alreadyOpened, invalidRound, roundNotFound, roundNotOpen } from './round.errors';
import { RoundEvent } from './round.events';

export type RoundOpening = Omit<ReportingRoundOpenedV1, 'roundId'>;
type Reminder = 7 | 1 | 0;

/**
 * A reporting round: a plan's agencies are asked for their report on a period, due before a day
 * (a yearly round from the plan's rule, or the coordinator's ad-hoc request). It reminds those who
 * have not submitted 7 and 1 days before, lists the late ones on the day, and ends when the
 * province's report is issued from it (or it is closed).
 */
export class ReportingRound extends EventSourcedAggregate<RoundEvent> {
  status: 'new' | 'open' | 'reported' | 'closed' = 'new';
  planId = '';
  kind: RoundKind = 'yearly';
  title = '';
  period = { from: '', to: '' };
  dueBefore = '';
  coordinatorAgencyId = '';
  agencyIds: string[] = [];
  taskNumbers: string[] = [];
  issued: ProvincialReportIssuedV1 | null = null;
  private reminders = new Set<Reminder>();

  open(spec: RoundOpening): void {
    if (this.status !== 'new') throw alreadyOpened(this.id);
    if (!spec.title.trim()) throw invalidRound('a title is required');
    for (const [what, day] of [['period.from', spec.period.from], ['period.to', spec.period.to], ['dueBefore', spec.dueBefore]] as const) {
      if (!isRealDay(day)) throw invalidRound(`${what} "${day}" is not a real date (YYYY-MM-DD)`, { [what]: day });
    }
    if (spec.period.from > spec.period.to) throw invalidRound(`the period ends (${spec.period.to}) before it starts (${spec.period.from})`);
    const agencyIds = [...new Set(spec.agencyIds)].filter((id) => id !== spec.coordinatorAgencyId).sort();
    if (!agencyIds.length) throw invalidRound('no agency is asked to report');
    this.raise({ type: 'ReportingRoundOpened', data: { roundId: this.id, ...spec, agencyIds } });
  }

  /**
   * Run daily (idempotent): 7 and 1 days before the due day, a reminder to the agencies that have
   * not submitted; on the day, the list of the late ones. Each once; nothing when all submitted.
   */
  checkDue(today: string, submitted: ReadonlySet<string>): void {
    if (this.status === 'new') throw roundNotFound(this.id);
    if (this.status !== 'open') return;
    const pending = this.agencyIds.filter((id) => !submitted.has(id));
    if (!pending.length) return;
    const daysLeft = daysBetween(today, this.dueBefore);
    const due: Reminder | null = daysLeft <= 0 ? 0 : daysLeft <= 1 ? 1 : daysLeft <= 7 ? 7 : null;
    if (due === null || this.reminders.has(due)) return;
    this.raise({ type: 'ReportingReminderSent', data: { roundId: this.id, dueBefore: this.dueBefore, daysLeft: due, agencyIds: pending } });
  }

  /** The province's report, compiled from the accepted agency reports, is issued with its number and date. */
  issueProvincialReport(report: Omit<ProvincialReportIssuedV1, 'provincialReportId' | 'roundId' | 'planId'> & { figures: CaseFigures }): void {
    if (this.status === 'new') throw roundNotFound(this.id);
    if (this.status === 'reported') throw alreadyIssued(this.id);
    if (this.status !== 'open') throw roundNotOpen(this.id, this.status);
    if (!report.document.number.trim()) throw invalidRound('the report needs its number');
    if (!isRealDay(report.document.date)) throw invalidRound(`date "${report.document.date}" is not a real date (YYYY-MM-DD)`);
    this.raise({ type: 'ProvincialReportIssued', data: { provincialReportId: this.id, roundId: this.id, planId: this.planId, ...report } });
  }

  close(reason: string, at: string): void {
    if (this.status === 'new') throw roundNotFound(this.id);
    if (this.status !== 'open') throw roundNotOpen(this.id, this.status);
    if (!reason.trim()) throw invalidRound('a reason is required');
    this.raise({ type: 'ReportingRoundClosed', data: { roundId: this.id, reason, at } });
  }

  protected apply(event: RoundEvent): void {
    switch (event.type) {
      case 'ReportingRoundOpened': {
        const d = event.data;
        Object.assign(this, { status: 'open', planId: d.planId, kind: d.kind, title: d.title, period: d.period, dueBefore: d.dueBefore });
        this.coordinatorAgencyId = d.coordinatorAgencyId;
        this.agencyIds = d.agencyIds;
        this.taskNumbers = d.taskNumbers;
        break;
      }
      case 'ReportingReminderSent':
        this.reminders.add(event.data.daysLeft);
        break;
      case 'ProvincialReportIssued':
        this.status = 'reported';
        this.issued = event.data;
        break;
      case 'ReportingRoundClosed':
        this.status = 'closed';
        break;
    }
  }
}
