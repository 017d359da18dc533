import { CaseFigures, ReportedTask, ReportNarrative } from '@thihanh/contracts';
import { EventSourcedAggregate, vietnamDay } from '@thihanh/domain';
import { reasonRequired, reportNotFound, resultsRequired, transitionNotAllowed } from './agency-report.errors';
import { AgencyReportEvent } from './agency-report.events';

export type ReportStatus = 'new' | 'draft' | 'submitted' | 'accepted' | 'returned';
type ReportAction = 'draft' | 'submit' | 'accept' | 'return';

const ALLOWED: Record<ReportStatus, readonly ReportAction[]> = {
  new: ['draft', 'submit'],
  draft: ['draft', 'submit'],
  submitted: ['accept', 'return'],
  returned: ['draft', 'submit'],
  accepted: [],
};

export interface ReportSubject {
  roundId: string;
  planId: string;
  agencyId: string;
}

/**
 * An agency's report in a round: drafted (its narrative), submitted with its figures and tasks as
 * they stand then, accepted by the coordinator, or returned with a reason and submitted again.
 * Submitting on or after the round's due day marks it late.
 */
export class AgencyReport extends EventSourcedAggregate<AgencyReportEvent> {
  status: ReportStatus = 'new';
  subject: ReportSubject | null = null;
  narrative: ReportNarrative = { results: '', difficulties: '', proposals: '' };
  figures: CaseFigures | null = null;
  tasks: ReportedTask[] = [];
  late = false;
  submittedAt: string | null = null;
  returnedReason: string | null = null;

  get allowedActions(): readonly ReportAction[] {
    return ALLOWED[this.status];
  }

  draft(subject: ReportSubject, narrative: ReportNarrative, at: string): void {
    this.guard('draft');
    this.raise({ type: 'AgencyReportDrafted', data: { reportId: this.id, ...subject, narrative: clean(narrative), at } });
  }

  submit(subject: ReportSubject, content: { figures: CaseFigures; tasks: ReportedTask[]; narrative: ReportNarrative }, dueBefore: string, at: string): void {
    this.guard('submit');
    const narrative = clean(content.narrative);
    if (!narrative.results) throw resultsRequired();
    const late = vietnamDay(new Date(at)) >= dueBefore;
    this.raise({ type: 'AgencyReportSubmitted', data: { reportId: this.id, ...subject, figures: content.figures, tasks: content.tasks, narrative, late, at } });
  }

  accept(at: string): void {
    this.guard('accept');
    const { roundId, agencyId } = this.subject!;
    this.raise({ type: 'AgencyReportAccepted', data: { reportId: this.id, roundId, agencyId, at } });
  }

  giveBack(reason: string, at: string): void {
    this.guard('return');
    if (!reason?.trim()) throw reasonRequired();
    const { roundId, agencyId } = this.subject!;
    this.raise({ type: 'AgencyReportReturned', data: { reportId: this.id, roundId, agencyId, reason: reason.trim(), at } });
  }

  protected apply(event: AgencyReportEvent): void {
    switch (event.type) {
      case 'AgencyReportDrafted': {
        const { roundId, planId, agencyId, narrative } = event.data;
        this.subject = { roundId, planId, agencyId };
        this.narrative = narrative;
        this.status = 'draft';
        break;
      }
      case 'AgencyReportSubmitted': {
        const { roundId, planId, agencyId, narrative, figures, tasks, late, at } = event.data;
        this.subject = { roundId, planId, agencyId };
        Object.assign(this, { narrative, figures, tasks, late, submittedAt: at, status: 'submitted', returnedReason: null });
        break;
      }
      case 'AgencyReportAccepted':
        this.status = 'accepted';
        break;
      case 'AgencyReportReturned':
        this.status = 'returned';
        this.returnedReason = event.data.reason;
        break;
    }
  }

  private guard(action: ReportAction): void {
    if (!this.allowedActions.includes(action)) {
      if (this.status === 'new' && (action === 'accept' || action === 'return')) throw reportNotFound(this.id);
      throw transitionNotAllowed(action, this.status, this.allowedActions);
    }
  }
}

const clean = (n: ReportNarrative): ReportNarrative => ({ results: n.results?.trim() ?? '', difficulties: n.difficulties?.trim() ?? '', proposals: n.proposals?.trim() ?? '' });
