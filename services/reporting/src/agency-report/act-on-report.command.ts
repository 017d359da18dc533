import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EventMetadata, ReportNarrative } from '@thihanh/contracts';
import { CLOCK, Clock } from '@thihanh/domain';
import { AggregateRepository, PostgresEventStore } from '@thihanh/event-store';
import { assertIfMatch } from '@thihanh/http';
import { BackgroundWorkers, EVENT_STORE } from '@thihanh/platform';
import { ReportFacts } from '../provincial-report/report-facts';
import { forbidden, notAsked, roundNotOpen } from '../round/round.errors';
import { AgencyReport } from './agency-report.aggregate';
import { agencyReportIdOf } from './agency-report.events';
import { reportContent } from './report-content';
import { agencyReportRepository } from './agency-report.repository';
import { coordinatesReporting } from '../round/round.policy';

export type ReportInput =
  | { action: 'draft'; narrative: ReportNarrative }
  | { action: 'submit'; narrative: ReportNarrative }
  | { action: 'accept' }
  | { action: 'return'; reason: string };

export class ActOnReport {
  constructor(
    readonly roundId: string,
    readonly agencyId: string,
    readonly input: ReportInput,
    readonly metadata: EventMetadata,
    readonly ifMatch?: number,
  ) {}
}

/**
 * An agency drafts and submits its own report (its figures and tasks taken from its cases as they
 * stand); the round's coordinator (or an operator) accepts it or returns it with a reason.
 */
@CommandHandler(ActOnReport)
export class ActOnReportHandler implements ICommandHandler<ActOnReport> {
  private readonly reports: AggregateRepository<AgencyReport>;

  constructor(
    @Inject(EVENT_STORE) store: PostgresEventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly facts: ReportFacts,
    private readonly workers: BackgroundWorkers,
  ) {
    this.reports = agencyReportRepository(store);
  }

  async execute({ roundId, agencyId, input, metadata, ifMatch }: ActOnReport) {
    const round = await this.facts.round(roundId);
    const actor = { agencyId: metadata.actor.agencyId, roles: metadata.actor.roles ?? [] };
    const own = input.action === 'draft' || input.action === 'submit';
    if (own) {
      if (actor.agencyId !== agencyId || !(actor.roles.includes('member') || actor.roles.includes('coordinator'))) throw forbidden(`${input.action} the report of ${agencyId}`, actor.agencyId);
      if (!round.agencyIds.includes(agencyId)) throw notAsked(agencyId, roundId);
      if (round.status !== 'open') throw roundNotOpen(roundId, round.status);
    } else if (!coordinatesReporting(actor, round.coordinatorAgencyId)) {
      throw forbidden(`${input.action} reports`, actor.agencyId);
    }
    const reportId = agencyReportIdOf(roundId, agencyId);
    const report = (await this.reports.find(reportId)) ?? new AgencyReport(reportId);
    assertIfMatch(ifMatch, report.version, 'report');
    const subject = { roundId, planId: round.planId, agencyId };
    const at = this.clock.now().toISOString();
    switch (input.action) {
      case 'draft': report.draft(subject, input.narrative, at); break;
      case 'submit': {
        const content = reportContent(round, await this.facts.cases(round.planId, agencyId), this.facts.asOf(round));
        report.submit(subject, { ...content, narrative: input.narrative }, round.dueBefore, at);
        break;
      }
      case 'accept': report.accept(at); break;
      case 'return': report.giveBack(input.reason, at); break;
    }
    const saved = await this.reports.save(report, metadata);
    this.workers.poke();
    return { reportId, status: report.status, late: report.late, version: saved?.nextVersion ?? report.version };
  }
}
