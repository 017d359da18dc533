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

/**
 * Inserts the rows of AssignmentOpened events in one statement. DO NOTHING skips a case already there,
 * and a repeat within the batch after its first row, as one INSERT per event in turn would.
 */
async function openCases(events: EventEnvelope[], tx: SqlClient): Promise<void> {
  const rows = events.map((event) => {
    const d = event.data as Data;
    return {
      assignment_id: d.assignmentId, plan_id: d['planId'], plan_version: d['planVersion'], task_number: d['taskNumber'],
      task_title: d['taskTitle'], search_key: searchKey(String(d['taskTitle'])), agency_id: d['agencyId'], role: d['role'],
      cycle: d['cycle'], timeline_kind: (d['timeline'] as { kind?: string } | null)?.kind ?? null, status: d['status'],
      due_before: d['dueBefore'] ?? null, lead_agency_ids: d['leadAgencyIds'], plan_coordinator_agency_id: d['planCoordinatorAgencyId'] ?? null,
      version: event.streamVersion, updated_at: event.recordedAt,
    };
  });
  await tx.query(
    `INSERT INTO assignment_cases (assignment_id, plan_id, plan_version, task_number, task_title, search_key, agency_id, role, cycle,
       timeline_kind, status, due_before, lead_agency_ids, plan_coordinator_agency_id, version, updated_at)
     SELECT * FROM json_to_recordset($1::json) AS r(assignment_id uuid, plan_id uuid, plan_version integer, task_number text, task_title text,
       search_key text, agency_id text, role text, cycle text, timeline_kind text, status text, due_before date, lead_agency_ids text[],
       plan_coordinator_agency_id text, version integer, updated_at timestamptz)
     ON CONFLICT (assignment_id) DO NOTHING`,
    [JSON.stringify(rows)],
  );
}

/** One row per case: what agencies, leads and coordinators list, filter and count. */
export const caseBoardProjection: Projection = {
  name: 'case-board',
  tables: ['assignment_cases'],
  handles: ['AssignmentOpened', ...Object.keys(UPDATES)],
  async apply(event: EventEnvelope, tx: SqlClient) {
    const d = event.data as Data;
    if (event.type === 'AssignmentOpened') {
      await openCases([event], tx);
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
  /**
   * A plan's fan-out opens thousands of cases in a row: each unbroken run of AssignmentOpened goes in
   * one INSERT; every other event, in its place in the order, through `apply`.
   */
  async applyBatch(events: EventEnvelope[], tx: SqlClient) {
    for (let i = 0; i < events.length; ) {
      let j = i;
      while (j < events.length && events[j].type === 'AssignmentOpened') j += 1;
      if (j > i) await openCases(events.slice(i, j), tx);
      else await caseBoardProjection.apply(events[j++], tx);
      i = j;
    }
  },
  async reset(tx: SqlClient) {
    await tx.query('TRUNCATE assignment_cases');
  },
};
