import { Inject, Injectable } from '@nestjs/common';
import { ProvincialReportIssuedV1 } from '@thihanh/contracts';
import { CLOCK, Clock, NotFoundError, vietnamDay } from '@thihanh/domain';
import { AggregateRepository, Database, PostgresEventStore } from '@thihanh/event-store';
import { DATABASE, EVENT_STORE } from '@thihanh/platform';
import { ReportingRound } from '../round/round.aggregate';

import { AgencyReportFacts, compileReport, CompiledReport, ConsultationFacts, PlanFacts, ReportCase, RoundFacts } from './compile-report';
import { roundRepository } from '../round/round.repository';

const CASE_COLUMNS = `assignment_id AS "assignmentId", task_number AS "taskNumber", task_title AS "taskTitle", agency_id AS "agencyId", role, cycle,
  status, percent, to_char(due_before, 'YYYY-MM-DD') AS "dueBefore", to_char(done_on, 'YYYY-MM-DD') AS "doneOn",
  to_char(accepted_on, 'YYYY-MM-DD') AS "acceptedOn", to_char(cancelled_on, 'YYYY-MM-DD') AS "cancelledOn", deliverables`;

/** What compiling a round's report reads: the round, its plan, the plan's cases, the agencies' reports, the consultations. */
@Injectable()
export class ReportFacts {
  private readonly rounds: AggregateRepository<ReportingRound>;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(EVENT_STORE) store: PostgresEventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.rounds = roundRepository(store);
  }

  /** A round as its own log has it (not the read model, which may lag a command that just opened it). */
  async round(roundId: string): Promise<RoundFacts & { planId: string; status: string; provincialReport: ProvincialReportIssuedV1 | null }> {
    const round = await this.rounds.load(roundId);
    const { planId, title, kind, period, dueBefore, coordinatorAgencyId, agencyIds, taskNumbers, status, issued } = round;
    return { roundId, planId, title, kind, period, dueBefore, coordinatorAgencyId, agencyIds, taskNumbers, status, provincialReport: issued };
  }

  async plan(planId: string): Promise<PlanFacts & { coordinatorAgencyId: string | null }> {
    const { rows } = await this.db.query<PlanFacts & { coordinatorAgencyId: string | null }>(
      `SELECT plan_id AS "planId", province, number, title, place, tasks, coordinator_agency_id AS "coordinatorAgencyId" FROM rp_plans WHERE plan_id = $1`,
      [planId],
    );
    if (!rows.length) throw new NotFoundError('PLAN.NOT_FOUND', `Reporting knows no plan ${planId} (yet)`, { planId });
    return rows[0];
  }

  async cases(planId: string, agencyId?: string): Promise<ReportCase[]> {
    const { rows } = await this.db.query<ReportCase>(
      `SELECT ${CASE_COLUMNS} FROM rp_cases WHERE plan_id = $1 AND ($2::text IS NULL OR agency_id = $2) ORDER BY task_number, cycle, agency_id`,
      [planId, agencyId ?? null],
    );
    return rows;
  }

  async reports(roundId: string): Promise<AgencyReportFacts[]> {
    const { rows } = await this.db.query<AgencyReportFacts>(
      `SELECT agency_id AS "agencyId", status, late, submitted_at AS "submittedAt", narrative FROM rp_agency_reports WHERE round_id = $1`,
      [roundId],
    );
    return rows;
  }

  async consultations(planId: string): Promise<ConsultationFacts[]> {
    const { rows } = await this.db.query<ConsultationFacts>(
      `SELECT c.task_number AS "taskNumber", c.draft_type AS "draftType", c.draft_title AS "draftTitle", c.lead_agency_id AS "leadAgencyId",
              cardinality(c.coordinator_agency_ids) AS coordinators, c.status, to_char(c.deadline, 'YYYY-MM-DD') AS deadline,
              c.response_number AS "responseNumber", to_char(c.response_date, 'YYYY-MM-DD') AS "responseDate",
              (SELECT count(DISTINCT k.agency_id) FROM rp_consultation_comments k WHERE k.consultation_id = c.consultation_id AND NOT k.withdrawn)::int AS answered,
              (SELECT count(*) FROM rp_consultation_comments k WHERE k.consultation_id = c.consultation_id AND NOT k.withdrawn AND k.kind = 'comment')::int AS comments
         FROM rp_consultations c WHERE c.plan_id = $1 AND c.status <> 'cancelled'`,
      [planId],
    );
    return rows;
  }

  /** Today in Vietnam, or the period's last day once it has passed: the day figures are counted as of. */
  asOf(round: Pick<RoundFacts, 'period'>): string {
    const today = vietnamDay(this.clock.now());
    return today < round.period.to ? today : round.period.to;
  }

  async compile(roundId: string): Promise<CompiledReport> {
    const round = await this.round(roundId);
    const [plan, cases, reports, consultations] = await Promise.all([
      this.plan(round.planId), this.cases(round.planId), this.reports(roundId), this.consultations(round.planId),
    ]);
    return compileReport({ round, plan, cases, reports, consultations, asOf: this.asOf(round) });
  }
}
