import { Inject, Injectable } from '@nestjs/common';
import { ConsultationDeadlineSetV1, ConsultationResponseSubmittedV1, EventEnvelope, PlanAmendedV1, PlanContent, PlanIssuedV1, SYSTEM_ACTOR } from '@thihanh/contracts';
import { CLOCK, Clock, vietnamDay } from '@thihanh/domain';
import { AggregateRepository, PostgresEventStore, SqlClient } from '@thihanh/event-store';
import { EVENT_STORE } from '@thihanh/platform';
import { Assignment } from '../assignment/assignment.aggregate';
import { ASSIGNMENT_STREAM_TYPE, assignmentStreamId } from '../assignment/assignment.events';
import { assignmentRepository } from '../assignment/assignment.repository';
import { planCases } from './plan-fan-out';

/** Cases opened per statement: large enough that round trips stop mattering, small enough to keep each statement's parameters modest. */
const OPEN_CHUNK = 1000;

/**
 * Opens the cases an issued plan calls for, all in the consuming transaction. A case that already
 * exists (its id is derived from what identifies it) is left alone: redelivery and replay open nothing twice.
 */
@Injectable()
export class OpenPlanCases {
  private readonly repository: AggregateRepository<Assignment>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.repository = assignmentRepository(store);
  }

  async forIssuedPlan(event: EventEnvelope<PlanIssuedV1 | PlanAmendedV1>, tx: SqlClient): Promise<{ opened: number; existing: number }> {
    const { planId, planVersion, content } = event.data;
    // Appends first: an append must be the transaction's first write (commit-order guarantee).
    const result = await this.openMissing(planId, planVersion, content, { correlationId: event.metadata.correlationId, causationId: event.eventId }, tx);
    await tx.query(
      `INSERT INTO assignment_plans (plan_id, plan_version, content, source_event_id, correlation_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (plan_id) DO UPDATE SET plan_version = $2, content = $3, source_event_id = $4, correlation_id = $5, updated_at = now()
       WHERE assignment_plans.plan_version <= $2`,
      [planId, planVersion, JSON.stringify(content), event.eventId, event.metadata.correlationId],
    );
    return result;
  }

  /**
   * An amended plan: cases for new task × agency pairs open, cases the plan no longer calls for are
   * cancelled, and the others take the changed fields (the aggregate records only real differences,
   * and keeps every case's history). A version seen before changes nothing.
   */
  async forAmendedPlan(event: EventEnvelope<PlanAmendedV1>, tx: SqlClient): Promise<{ opened: number; cancelled: number; changed: number }> {
    const { planId, planVersion, content } = event.data;
    const { rows } = await tx.query<{ plan_version: number; content: PlanContent }>(
      `SELECT plan_version, content FROM assignment_plans WHERE plan_id = $1`,
      [planId],
    );
    if (rows.length && rows[0].plan_version >= planVersion) return { opened: 0, cancelled: 0, changed: 0 };
    const cause = { correlationId: event.metadata.correlationId, causationId: event.eventId };
    const metadata = { actor: SYSTEM_ACTOR, ...cause };
    const today = vietnamDay(this.clock.now());
    const wanted = new Map(planCases(planId, planVersion, content, today).map((c) => [c.assignmentId, c]));
    const before = rows.length ? planCases(planId, rows[0].plan_version, rows[0].content, today) : [];
    let cancelled = 0;
    let changed = 0;
    for (const old of before) {
      const assignment = await this.repository.find(old.assignmentId, tx);
      if (!assignment || assignment.isFinal) continue;
      const next = wanted.get(old.assignmentId);
      if (next) {
        assignment.applyPlanChange({
          planVersion, taskTitle: next.taskTitle, timeline: next.timeline, dueBefore: next.dueBefore, role: next.role,
          leadAgencyIds: next.leadAgencyIds, planCoordinatorAgencyId: next.planCoordinatorAgencyId, deliverablesExpected: next.deliverablesExpected,
        });
      } else {
        assignment.cancel(`Kế hoạch sửa đổi (phiên bản ${planVersion}): ${event.data.reason}`, planVersion);
      }
      if (assignment.pendingEvents.length === 0) continue;
      await this.repository.save(assignment, metadata, tx);
      if (next) changed += 1;
      else cancelled += 1;
    }
    const { opened } = await this.openMissing(planId, planVersion, content, cause, tx);
    await tx.query(
      `UPDATE assignment_plans SET plan_version = $2, content = $3, source_event_id = $4, correlation_id = $5, updated_at = now() WHERE plan_id = $1`,
      [planId, planVersion, JSON.stringify(content), event.eventId, event.metadata.correlationId],
    );
    return { opened, cancelled, changed };
  }

  /**
   * A consultation's deadline arrives: the plan task's `dependent` cases (every agency, every cycle)
   * take it as their due date; cases already finished are left alone, and the same date again
   * changes nothing.
   */
  async setDependentDueDate(event: EventEnvelope<ConsultationDeadlineSetV1>, tx: SqlClient): Promise<number> {
    const { planId, taskNumber, deadline, consultationId } = event.data;
    if (!planId || !taskNumber) return 0;
    const { rows } = await tx.query<{ plan_version: number; content: PlanContent }>(`SELECT plan_version, content FROM assignment_plans WHERE plan_id = $1`, [planId]);
    if (!rows.length) return 0;
    const cases = planCases(planId, rows[0].plan_version, rows[0].content, vietnamDay(this.clock.now())).filter(
      (c) => c.taskNumber === taskNumber && c.timeline?.kind === 'dependent',
    );
    const metadata = { actor: SYSTEM_ACTOR, correlationId: event.metadata.correlationId, causationId: event.eventId };
    let updated = 0;
    for (const spec of cases) {
      const assignment = await this.repository.find(spec.assignmentId, tx);
      if (!assignment || assignment.isFinal) continue;
      assignment.setDueDate(deadline, 'consultation', consultationId);
      if (assignment.pendingEvents.length === 0) continue;
      await this.repository.save(assignment, metadata, tx);
      updated += 1;
    }
    return updated;
  }

  /**
   * A consultation's response was sent upward: the lead's case for that task (each open cycle) is
   * fulfilled with the response document as its deliverable. Redelivery changes nothing.
   */
  async fulfilFromResponse(event: EventEnvelope<ConsultationResponseSubmittedV1>, tx: SqlClient): Promise<number> {
    const { planId, taskNumber, leadAgencyId, document, submittedAt, consultationId } = event.data;
    if (!planId || !taskNumber) return 0;
    const { rows } = await tx.query<{ plan_version: number; content: PlanContent }>(`SELECT plan_version, content FROM assignment_plans WHERE plan_id = $1`, [planId]);
    if (!rows.length) return 0;
    const cases = planCases(planId, rows[0].plan_version, rows[0].content, vietnamDay(this.clock.now())).filter(
      (c) => c.taskNumber === taskNumber && c.agencyId === leadAgencyId,
    );
    const metadata = { actor: SYSTEM_ACTOR, correlationId: event.metadata.correlationId, causationId: event.eventId };
    let fulfilled = 0;
    for (const spec of cases) {
      const assignment = await this.repository.find(spec.assignmentId, tx);
      if (!assignment || assignment.isFinal) continue;
      assignment.fulfil(
        {
          deliverableId: `consultation-${consultationId}`,
          title: document.title,
          documentNumber: document.number,
          documentDate: document.date,
          ...(document.link ? { link: document.link } : {}),
          ...(document.sha256 ? { file: { name: `${document.number.replace(/[^\w.-]+/g, '_')}.docx`, sha256: document.sha256, size: 0 } } : {}),
        },
        submittedAt,
      );
      await this.repository.save(assignment, metadata, tx);
      fulfilled += 1;
    }
    return fulfilled;
  }

  /**
   * The year turns: every issued plan's recurring tasks get the new year's cases (those not opened
   * yet). Safe to run at any time, as often as wanted: it opens only what is missing.
   */
  async openNewCycles(): Promise<number> {
    const { rows } = await this.store.db.query<{ plan_id: string; plan_version: number; content: PlanContent; source_event_id: string; correlation_id: string }>(
      `SELECT plan_id, plan_version, content, source_event_id, correlation_id FROM assignment_plans`,
    );
    let opened = 0;
    for (const plan of rows) {
      const result = await this.store.db.transaction((tx) =>
        this.openMissing(plan.plan_id, plan.plan_version, plan.content, { correlationId: plan.correlation_id, causationId: plan.source_event_id }, tx),
      );
      opened += result.opened;
    }
    return opened;
  }

  private async openMissing(
    planId: string,
    planVersion: number,
    content: PlanContent,
    cause: { correlationId: string; causationId: string },
    tx: SqlClient,
  ): Promise<{ opened: number; existing: number }> {
    const cases = planCases(planId, planVersion, content, vietnamDay(this.clock.now()));
    // A failed append would abort the whole transaction, so existing cases are found first.
    const { rows } = await tx.query<{ stream_id: string }>(
      `SELECT DISTINCT stream_id FROM es_events WHERE stream_id = ANY($1::text[]) AND stream_version = 1`,
      [cases.map((c) => assignmentStreamId(c.assignmentId))],
    );
    const existing = new Set(rows.map((r) => r.stream_id));
    const missing = cases.filter((c) => !existing.has(assignmentStreamId(c.assignmentId)));
    // One statement per chunk, not one append per case (2,000 round trips were most of a fan-out's time).
    for (let i = 0; i < missing.length; i += OPEN_CHUNK) {
      await this.store.openStreams(
        missing.slice(i, i + OPEN_CHUNK).map(({ assignmentId, ...spec }) => {
          const assignment = new Assignment(assignmentId);
          assignment.open(spec);
          return {
            streamId: assignmentStreamId(assignmentId),
            streamType: ASSIGNMENT_STREAM_TYPE,
            events: assignment.pendingEvents.map((e) => ({ type: e.type, data: e.data })),
            metadata: { actor: SYSTEM_ACTOR, correlationId: cause.correlationId, causationId: cause.causationId },
          };
        }),
        tx,
      );
    }
    return { opened: missing.length, existing: existing.size };
  }
}
