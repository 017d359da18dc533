import { searchKey } from '@thihanh/agency-directory';
import { EventEnvelope } from '@thihanh/contracts';
import { Projection, SqlClient } from '@thihanh/event-store';

type Data = Record<string, unknown> & { assignmentId: string };

/** Column changes per event type (status, percent, due date, …); AssignmentOpened inserts the row. */
const UPDATES: Record<string, (d: Data) => [string, unknown[]]> = {
  AssignmentAcknowledged: () => [`status = 'acknowledged'`, []],
  AssignmentProgressReported: (d) => [`status = 'in_progress', percent = $P1`, [d['percent']]],
  AssignmentDeliverableSubmitted: () => [`status = 'submitted', deliverables = deliverables + 1`, []],
  AssignmentAccepted: () => [`status = 'accepted', percent = 100`, []],
  AssignmentReturned: () => [`status = 'returned'`, []],
  AssignmentBlocked: () => [`status_before_block = status, status = 'blocked'`, []],
  AssignmentUnblocked: () => [`status = coalesce(status_before_block, 'assigned'), status_before_block = NULL`, []],
  AssignmentCancelled: () => [`status = 'cancelled'`, []],
  AssignmentReassigned: (d) => [
    `agency_id = $P1, percent = 0, status = CASE WHEN status = 'waiting' THEN 'waiting' ELSE 'assigned' END`,
    [d['toAgencyId']],
  ],
  AssignmentDueDateSet: (d) => [`due_before = $P1::date, status = CASE WHEN status = 'waiting' THEN 'assigned' ELSE status END`, [d['dueBefore']]],
  AssignmentExtensionGranted: (d) => [`due_before = $P1::date`, [d['newDueBefore']]],
  AssignmentGateOpened: (d) => [`status = 'assigned', due_before = coalesce($P1::date, due_before)`, [d['dueBefore'] ?? null]],
  AssignmentChanged: (d) => [
    `task_title = coalesce($P1, task_title), search_key = coalesce($P2, search_key), plan_version = $P3,
     due_before = CASE WHEN $P4 THEN $P5::date ELSE due_before END, role = coalesce($P6, role), status = coalesce($P7, status),
     lead_agency_ids = coalesce($P8::text[], lead_agency_ids),
     plan_coordinator_agency_id = CASE WHEN $P9 THEN $P10 ELSE plan_coordinator_agency_id END`,
    [
      d['taskTitle'] ?? null,
      typeof d['taskTitle'] === 'string' ? searchKey(d['taskTitle']) : null,
      d['planVersion'],
      'dueBefore' in d,
      d['dueBefore'] ?? null,
      d['role'] ?? null,
      d['status'] ?? null,
      d['leadAgencyIds'] ?? null,
      'planCoordinatorAgencyId' in d,
      d['planCoordinatorAgencyId'] ?? null,
    ],
  ],
};

/** One row per case: what agencies, leads and coordinators list, filter and count. */
export const caseBoardProjection: Projection = {
  name: 'case-board',
  tables: ['assignment_cases'],
  handles: ['AssignmentOpened', ...Object.keys(UPDATES)],
  async apply(event: EventEnvelope, tx: SqlClient) {
    const d = event.data as Data;
    if (event.type === 'AssignmentOpened') {
      await tx.query(
        `INSERT INTO assignment_cases (assignment_id, plan_id, plan_version, task_number, task_title, search_key, agency_id, role, cycle,
           timeline_kind, status, due_before, lead_agency_ids, plan_coordinator_agency_id, version, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
         ON CONFLICT (assignment_id) DO NOTHING`,
        [
          d.assignmentId, d['planId'], d['planVersion'], d['taskNumber'], d['taskTitle'], searchKey(String(d['taskTitle'])), d['agencyId'],
          d['role'], d['cycle'], (d['timeline'] as { kind?: string } | null)?.kind ?? null, d['status'], d['dueBefore'] ?? null,
          d['leadAgencyIds'], d['planCoordinatorAgencyId'] ?? null, event.streamVersion, event.recordedAt,
        ],
      );
      return;
    }
    const [set, params] = UPDATES[event.type](d);
    const numbered = set.replace(/\$P(\d+)/g, (_, n) => `$${Number(n) + 3}`);
    // Only ever forward: a replayed or repeated event (version not above the row's) changes nothing.
    await tx.query(
      `UPDATE assignment_cases SET ${numbered}, version = $2, updated_at = $3 WHERE assignment_id = $1 AND version < $2`,
      [d.assignmentId, event.streamVersion, event.recordedAt, ...params],
    );
  },
  async reset(tx: SqlClient) {
    await tx.query('TRUNCATE assignment_cases');
  },
};
