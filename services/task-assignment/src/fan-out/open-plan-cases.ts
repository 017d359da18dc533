import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope, PlanAmendedV1, PlanIssuedV1, SYSTEM_ACTOR } from '@thihanh/contracts';
import { CLOCK, Clock, vietnamDay } from '@thihanh/domain';
import { PostgresEventStore, SqlClient } from '@thihanh/event-store';
import { EVENT_STORE } from '@thihanh/platform';
import { CaseSpec, planCases } from './plan-fan-out';

export const ASSIGNMENT_STREAM_TYPE = 'assignment';
export const assignmentStream = (assignmentId: string) => `${ASSIGNMENT_STREAM_TYPE}-${assignmentId}`;

/**
 * Opens the cases an issued plan calls for, all in the consuming transaction. A case that already
 * exists (its id is derived from what identifies it) is left alone: redelivery and replay open nothing twice.
 */
@Injectable()
export class OpenPlanCases {
  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async forIssuedPlan(event: EventEnvelope<PlanIssuedV1 | PlanAmendedV1>, tx: SqlClient): Promise<{ opened: number; existing: number }> {
    const { planId, planVersion, content } = event.data;
    const cases = planCases(planId, planVersion, content, vietnamDay(this.clock.now()));
    // A failed append would abort the whole transaction, so existing cases are found first.
    const { rows } = await tx.query<{ stream_id: string }>(
      `SELECT DISTINCT stream_id FROM es_events WHERE stream_id = ANY($1::text[]) AND stream_version = 1`,
      [cases.map((c) => assignmentStream(c.assignmentId))],
    );
    const existing = new Set(rows.map((r) => r.stream_id));
    const missing = cases.filter((c) => !existing.has(assignmentStream(c.assignmentId)));
    for (const spec of missing) await this.open(spec, event, tx);
    return { opened: missing.length, existing: existing.size };
  }

  private async open(spec: CaseSpec, cause: EventEnvelope, tx: SqlClient): Promise<void> {
    await this.store.append(
      {
        streamId: assignmentStream(spec.assignmentId),
        streamType: ASSIGNMENT_STREAM_TYPE,
        expectedVersion: 'no_stream',
        events: [{ type: 'AssignmentOpened', data: { ...spec, status: spec.timeline?.kind === 'gated' ? 'waiting' : 'assigned' } }],
        metadata: { actor: SYSTEM_ACTOR, correlationId: cause.metadata.correlationId, causationId: cause.eventId },
      },
      tx,
    );
  }
}
