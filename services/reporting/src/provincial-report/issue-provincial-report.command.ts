import { createHash } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EventMetadata } from '@thihanh/contracts';
import { CLOCK, Clock } from '@thihanh/domain';
import { AggregateRepository, Database, PostgresEventStore } from '@thihanh/event-store';
import { officialDocx } from '@thihanh/official-document';
import { BackgroundWorkers, DATABASE, EVENT_STORE } from '@thihanh/platform';
import { ReportingRound } from '../round/round.aggregate';
import { forbidden, nothingAccepted } from '../round/round.errors';

import { ReportFacts } from './report-facts';
import { Letterhead, reportDocument } from './report-exports';
import { roundRepository } from '../round/round.repository';
import { coordinatesReporting } from '../round/round.policy';

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export class IssueProvincialReport {
  constructor(
    readonly roundId: string,
    readonly issue: { number: string; date: string; letterhead: Letterhead },
    readonly metadata: EventMetadata,
  ) {}
}

/**
 * The coordinator issues the province's report: compiled now, rendered as .docx (Decree 30/2020
 * layout), kept by SHA-256, and recorded with its figures frozen — later changes to cases do not
 * change an issued report. It needs at least one accepted agency report.
 */
@CommandHandler(IssueProvincialReport)
export class IssueProvincialReportHandler implements ICommandHandler<IssueProvincialReport> {
  private readonly rounds: AggregateRepository<ReportingRound>;

  constructor(
    @Inject(EVENT_STORE) store: PostgresEventStore,
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly facts: ReportFacts,
    private readonly workers: BackgroundWorkers,
  ) {
    this.rounds = roundRepository(store);
  }

  async execute({ roundId, issue, metadata }: IssueProvincialReport) {
    const round = await this.rounds.load(roundId);
    if (!coordinatesReporting(metadata.actor, round.coordinatorAgencyId)) throw forbidden('issue the provincial report', metadata.actor.agencyId);
    const compiled = await this.facts.compile(roundId);
    if (compiled.reporting.accepted === 0) throw nothingAccepted(roundId);
    const docx = officialDocx(reportDocument(compiled, issue.letterhead, issue));
    const sha256 = createHash('sha256').update(docx).digest('hex');
    const { percentDone: _d, percentDoneOnTime: _t, ...figures } = compiled.figures;
    round.issueProvincialReport({
      province: compiled.plan.province,
      document: { title: `${compiled.title}`, number: issue.number, date: issue.date, sha256 },
      figures,
      reportedAgencyIds: compiled.byAgency.filter((a) => a.report.status === 'accepted').map((a) => a.agencyId),
      missingAgencyIds: compiled.reporting.missing,
      at: this.clock.now().toISOString(),
    });
    const saved = await this.rounds.save(round, metadata);
    // After the append, the transaction's first write; in the same unit of work, so kept with it.
    await this.db.query(`INSERT INTO rp_files (sha256, size, content_type, content) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING`, [sha256, docx.length, DOCX_TYPE, docx]);
    this.workers.poke();
    return { roundId, sha256, figures, version: saved?.nextVersion ?? round.version };
  }
}
