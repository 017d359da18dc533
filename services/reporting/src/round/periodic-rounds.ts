import { Inject, Injectable } from '@nestjs/common';
import { ReportingRule, SYSTEM_ACTOR } from '@thihanh/contracts';
import { DomainError } from '@thihanh/domain';
import { AggregateRepository, Database, PostgresEventStore } from '@thihanh/event-store';
import { DATABASE, EVENT_STORE } from '@thihanh/platform';
import { inRound } from '../provincial-report/compile-report';
import { ReportingRound } from './round.aggregate';
import { roundRepository } from './round.repository';
import { periodicRounds } from './reporting-periods';

/**
 * Opens the rounds the plans' reporting rules call for, up to today: those not opened yet (their ids
 * follow from plan, kind and period). A plan whose cases have not arrived yet is looked at again
 * next time. Safe to run as often as wanted.
 */
@Injectable()
export class PeriodicRounds {
  private readonly rounds: AggregateRepository<ReportingRound>;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(EVENT_STORE) store: PostgresEventStore,
  ) {
    this.rounds = roundRepository(store);
  }

  async openDue(today: string, correlationId: string): Promise<number> {
    const { rows: plans } = await this.db.query<{ plan_id: string; issued_on: string | null; reporting: ReportingRule[]; coordinator: string | null }>(
      `SELECT plan_id, to_char(issued_on, 'YYYY-MM-DD') AS issued_on, reporting, coordinator_agency_id AS coordinator FROM rp_plans
        WHERE status <> 'closed' AND coordinator_agency_id IS NOT NULL`,
    );
    let opened = 0;
    for (const plan of plans) {
      const due = periodicRounds(plan.plan_id, plan.issued_on, plan.reporting, today);
      if (!due.length) continue;
      const { rows: existing } = await this.db.query<{ stream_id: string }>(`SELECT stream_id FROM es_events WHERE stream_id = ANY($1::text[]) AND stream_version = 1`, [
        due.map((r) => this.rounds.streamId(r.roundId)),
      ]);
      const already = new Set(existing.map((e) => e.stream_id));
      const missing = due.filter((r) => !already.has(this.rounds.streamId(r.roundId)));
      if (!missing.length) continue;
      const { rows: cases } = await this.db.query<{ agency_id: string; task_number: string; cycle: string; accepted_on: string | null }>(
        `SELECT DISTINCT agency_id, task_number, cycle, to_char(accepted_on, 'YYYY-MM-DD') AS accepted_on FROM rp_cases WHERE plan_id = $1 AND status <> 'cancelled'`,
        [plan.plan_id],
      );
      for (const spec of missing) {
        const agencyIds = [...new Set(cases.filter((c) => inRound({ period: spec.period, taskNumbers: [] }, { taskNumber: c.task_number, cycle: c.cycle, acceptedOn: c.accepted_on })).map((c) => c.agency_id))];
        if (!agencyIds.length) continue;
        const round = new ReportingRound(spec.roundId);
        try {
          round.open({ planId: plan.plan_id, kind: spec.kind, title: spec.title, period: spec.period, dueBefore: spec.dueBefore, coordinatorAgencyId: plan.coordinator!, agencyIds, taskNumbers: [], note: null, source: 'plan-rule' });
          await this.rounds.save(round, { actor: SYSTEM_ACTOR, correlationId, causationId: `plan:${plan.plan_id}` });
          opened += 1;
        } catch (error) {
          // Another instance opened it meanwhile, or the plan's rule cannot make a round: nothing to do.
          if (!(error instanceof DomainError)) throw error;
        }
      }
    }
    return opened;
  }
}
