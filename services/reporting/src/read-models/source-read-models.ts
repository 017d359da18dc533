import {
  AssignmentChangedV1,
  AssignmentDeliverableSubmittedV1,
  AssignmentOpenedV1,
  ConsultationCommentSubmittedV1,
  ConsultationOpenedV1,
  EventEnvelope,
  PlanAmendedV1,
  PlanClosedV1,
  PlanIssuedV1,
} from '@thihanh/contracts';
import { vietnamDay } from '@thihanh/domain';
import { SqlClient } from '@thihanh/event-store';

type Apply = (event: EventEnvelope, tx: SqlClient) => Promise<unknown>;
type Data = Record<string, unknown>;

/** The day (Vietnam) an event says it happened: its own `at`, else when it was recorded. */
const dayOf = (event: EventEnvelope): string => {
  const at = (event.data as { at?: string; submittedAt?: string }).at ?? (event.data as { submittedAt?: string }).submittedAt;
  return vietnamDay(new Date(at ?? event.recordedAt));
};

/** Moves a row forward; an event at or below the row's version changes nothing. */
function forward(table: 'rp_cases' | 'rp_consultations', key: 'assignment_id' | 'consultation_id', set: string, params: (d: Data, e: EventEnvelope) => unknown[]): Apply {
  return (event, tx) =>
    tx.query(`UPDATE ${table} SET ${set.replace(/\$P(\d+)/g, (_, n) => `$${Number(n) + 2}`)}, version = $2 WHERE ${key} = $1 AND version < $2`, [
      (event.data as Data)[key === 'assignment_id' ? 'assignmentId' : 'consultationId'],
      event.streamVersion,
      ...params(event.data as Data, event),
    ]);
}
const caseUpdate = (set: string, params: (d: Data, e: EventEnvelope) => unknown[] = () => []) => forward('rp_cases', 'assignment_id', set, params);
const consultationUpdate = (set: string, params: (d: Data, e: EventEnvelope) => unknown[] = () => []) =>
  forward('rp_consultations', 'consultation_id', set, params);

async function upsertPlan(event: EventEnvelope<PlanIssuedV1 | PlanAmendedV1>, tx: SqlClient): Promise<void> {
  const { planId, planVersion, content } = event.data;
  await tx.query(
    `INSERT INTO rp_plans (plan_id, plan_version, province, number, title, issuer, place, issued_on, coordinator_agency_id, reporting, tasks, status, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (plan_id) DO UPDATE SET plan_version = $2, province = $3, number = $4, title = $5, issuer = $6, place = $7, issued_on = $8,
       coordinator_agency_id = $9, reporting = $10, tasks = $11, status = $12, updated_at = $13
     WHERE rp_plans.plan_version < $2`,
    [
      planId, planVersion, content.province, content.number, content.title, content.issuer, content.place, content.issuedOn, content.coordinatorAgencyId,
      JSON.stringify(content.reporting), JSON.stringify(content.tasks.map(({ number, parent, title }) => ({ number, parent, title }))),
      event.type === 'PlanIssued' ? 'issued' : 'amended', event.recordedAt,
    ],
  );
}

const HANDLERS: Record<string, Apply> = {
  PlanIssued: (e, tx) => upsertPlan(e as EventEnvelope<PlanIssuedV1>, tx),
  PlanAmended: (e, tx) => upsertPlan(e as EventEnvelope<PlanAmendedV1>, tx),
  PlanClosed: (e, tx) => tx.query(`UPDATE rp_plans SET status = 'closed', updated_at = $2 WHERE plan_id = $1`, [(e.data as PlanClosedV1).planId, e.recordedAt]),

  async AssignmentOpened(e, tx) {
    const d = e.data as AssignmentOpenedV1;
    await tx.query(
      `INSERT INTO rp_cases (assignment_id, plan_id, task_number, task_title, agency_id, role, cycle, status, due_before, opened_on, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (assignment_id) DO NOTHING`,
      [d.assignmentId, d.planId, d.taskNumber, d.taskTitle, d.agencyId, d.role, d.cycle, d.status, d.dueBefore, vietnamDay(new Date(e.recordedAt)), e.streamVersion],
    );
  },
  AssignmentAcknowledged: caseUpdate(`status = 'acknowledged'`),
  AssignmentProgressReported: caseUpdate(`status = 'in_progress', percent = $P1`, (d) => [d['percent']]),
  AssignmentDeliverableSubmitted: caseUpdate(`status = 'submitted', last_submitted_on = $P1::date, deliverables = deliverables || $P2::jsonb`, (d, e) => {
    const { title, documentNumber } = d as unknown as AssignmentDeliverableSubmittedV1;
    return [dayOf(e), JSON.stringify([documentNumber ? `${title} (${documentNumber})` : title])];
  }),
  // Done when the work was handed in (the submission then accepted), so a slow review does not make an agency late.
  AssignmentAccepted: caseUpdate(`status = 'accepted', percent = 100, accepted_on = $P1::date, done_on = coalesce(last_submitted_on, $P1::date)`, (_, e) => [dayOf(e)]),
  AssignmentReturned: caseUpdate(`status = 'returned'`),
  AssignmentBlocked: caseUpdate(`status_before_block = status, status = 'blocked'`),
  AssignmentUnblocked: caseUpdate(`status = coalesce(status_before_block, 'assigned'), status_before_block = NULL`),
  AssignmentCancelled: caseUpdate(`status = 'cancelled', cancelled_on = $P1::date`, (_, e) => [dayOf(e)]),
  AssignmentReassigned: caseUpdate(`agency_id = $P1, percent = 0, status = CASE WHEN status = 'waiting' THEN 'waiting' ELSE 'assigned' END`, (d) => [d['toAgencyId']]),
  AssignmentDueDateSet: caseUpdate(`due_before = $P1::date, status = CASE WHEN status = 'waiting' THEN 'assigned' ELSE status END`, (d) => [d['dueBefore']]),
  AssignmentExtensionGranted: caseUpdate(`due_before = $P1::date`, (d) => [d['newDueBefore']]),
  AssignmentGateOpened: caseUpdate(`status = 'assigned', due_before = coalesce($P1::date, due_before)`, (d) => [d['dueBefore'] ?? null]),
  AssignmentChanged: caseUpdate(
    `task_title = coalesce($P1, task_title), role = coalesce($P2, role), status = coalesce($P3, status),
     due_before = CASE WHEN $P4 THEN $P5::date ELSE due_before END`,
    (d) => {
      const c = d as unknown as AssignmentChangedV1;
      return [c.taskTitle ?? null, c.role ?? null, c.status ?? null, c.changes.includes('dueBefore'), c.dueBefore ?? null];
    },
  ),

  async ConsultationOpened(e, tx) {
    const d = e.data as ConsultationOpenedV1;
    await tx.query(
      `INSERT INTO rp_consultations (consultation_id, plan_id, task_number, draft_type, draft_title, lead_agency_id, coordinator_agency_ids, deadline, status, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9) ON CONFLICT (consultation_id) DO NOTHING`,
      [d.consultationId, d.planId, d.taskNumber, d.draft.type, d.draft.title, d.leadAgencyId, d.coordinatorAgencyIds, d.deadline, e.streamVersion],
    );
  },
  ConsultationDeadlineSet: consultationUpdate(`deadline = $P1::date`, (d) => [d['deadline']]),
  ConsultationDraftUploaded: consultationUpdate(`drafts = drafts + 1`),
  ConsultationPartiesChanged: consultationUpdate(`lead_agency_id = $P1, coordinator_agency_ids = $P2`, (d) => [d['leadAgencyId'], d['coordinatorAgencyIds']]),
  ConsultationResponseSubmitted: consultationUpdate(`status = 'responded', response_number = $P1, response_date = $P2::date, submitted_on = $P3::date`, (d, e) => {
    const document = d['document'] as { number: string; date: string };
    return [document.number, document.date, dayOf(e)];
  }),
  ConsultationClosed: consultationUpdate(`status = 'closed', issued_number = $P1, issued_date = $P2::date`, (d) => {
    const issued = d['issued'] as { number: string; date: string };
    return [issued.number, issued.date];
  }),
  ConsultationCancelled: consultationUpdate(`status = 'cancelled'`),
  async ConsultationCommentSubmitted(e, tx) {
    const d = e.data as ConsultationCommentSubmittedV1;
    await tx.query(
      `INSERT INTO rp_consultation_comments (comment_id, consultation_id, agency_id, kind, submitted_on) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (comment_id) DO NOTHING`,
      [d.commentId, d.consultationId, d.agencyId, d.kind, dayOf(e)],
    );
  },
  ConsultationCommentWithdrawn: (e, tx) => tx.query(`UPDATE rp_consultation_comments SET withdrawn = true WHERE comment_id = $1`, [(e.data as Data)['commentId']]),
  ConsultationCommentDecided: (e, tx) =>
    tx.query(`UPDATE rp_consultation_comments SET decision = $2 WHERE comment_id = $1`, [(e.data as Data)['commentId'], (e.data as Data)['decision']]),
  ConsultationCommentEdited: (e, tx) => tx.query(`UPDATE rp_consultation_comments SET decision = NULL WHERE comment_id = $1`, [(e.data as Data)['commentId']]),
};

/** The event types of other services that reporting's read models use. */
export const SOURCE_EVENT_TYPES: readonly string[] = Object.keys(HANDLERS);

/** The read models' tables, emptied for a rebuild. */
export const SOURCE_READ_MODEL_TABLES = ['rp_plans', 'rp_cases', 'rp_consultations', 'rp_consultation_comments'] as const;

/**
 * Applies one event of another service to reporting's read models. Every effect is idempotent or
 * guarded by the stream version, so an event applied twice (a replay over live rows) changes nothing.
 */
export async function applySourceEvent(event: EventEnvelope, tx: SqlClient): Promise<boolean> {
  const handler = HANDLERS[event.type];
  if (!handler) return false;
  await handler(event, tx);
  return true;
}
