import { aMetadata, createTestDatabase, describeWithPostgres, dropTestDatabase } from '@thihanh/testing';
import { EVENT_STORE_MIGRATIONS, NewEvent, PgDatabase, PostgresEventStore, ProjectionRunner } from '@thihanh/event-store';
import { AssignmentCases1764300000000 } from '../migrations/1764300000000-assignment-cases';
import { caseBoardProjection } from './case-board.projection';

const PLAN = '0193a6f2-5b0d-7c2e-8a1f-3d4e5f6a7b8c';
const caseId = (n: number) => `0193a6f2-6c1e-7b3a-9d2f-${String(n).padStart(12, '0')}`;
const opened = (n: number, extra: Record<string, unknown> = {}): NewEvent => ({
  type: 'AssignmentOpened',
  data: {
    assignmentId: caseId(n), planId: PLAN, planVersion: 1, taskNumber: `${n % 3 + 1}`, taskTitle: `Tuyên truyền, phổ biến ${n}`,
    agencyId: `agency-${n}`, role: n % 4 === 0 ? 'coordinator' : 'lead', cycle: 'once', timeline: n % 2 ? { kind: 'fixed' } : null,
    dueBefore: n % 2 ? '2027-03-31' : null, status: 'assigned', leadAgencyIds: [`agency-${n}`, 'son-la.ubnd'],
    planCoordinatorAgencyId: n % 2 ? null : 'son-la.stp', deliverablesExpected: [], ...extra,
  },
});

describeWithPostgres('case board projection', () => {
  it('rebuilds the same board through its batch path as through apply, one event at a time', async () => {
    const database = await createTestDatabase([...EVENT_STORE_MIGRATIONS, AssignmentCases1764300000000]);
    try {
      const db = new PgDatabase(database.pool);
      const store = new PostgresEventStore(db);
      const append = (stream: string, events: NewEvent[]) =>
        store.append({ streamId: stream, streamType: 'assignment', expectedVersion: 'any', events, metadata: aMetadata() });
      for (let n = 1; n <= 30; n += 1) await append(`assignment-${caseId(n)}`, [opened(n)]);
      // The same case opened again elsewhere in the log: the first row stays.
      await append('assignment-replayed', [opened(7, { taskTitle: 'should not replace the first' })]);
      await append(`assignment-${caseId(3)}`, [
        { type: 'AssignmentAcknowledged', data: { assignmentId: caseId(3) } },
        { type: 'AssignmentProgressReported', data: { assignmentId: caseId(3), percent: 40 } },
      ]);
      for (let n = 31; n <= 40; n += 1) await append(`assignment-${caseId(n)}`, [opened(n)]);
      await append(`assignment-${caseId(5)}`, [{ type: 'AssignmentReassigned', data: { assignmentId: caseId(5), toAgencyId: 'agency-x' } }]);
      await append(`assignment-${caseId(35)}`, [{ type: 'AssignmentDueDateSet', data: { assignmentId: caseId(35), dueBefore: '2027-06-30' } }]);

      const board = async () => (await db.query<Record<string, unknown>>(`SELECT * FROM assignment_cases ORDER BY assignment_id`)).rows;
      const { applyBatch, ...perEvent } = caseBoardProjection;
      expect(applyBatch).toBeDefined();
      await new ProjectionRunner(store, perEvent, { batchSize: 7 }).rebuild();
      const reference = await board();
      expect(reference).toHaveLength(40);
      expect(reference.find((r) => r['assignment_id'] === caseId(3))).toMatchObject({ status: 'in_progress', percent: 40 });
      expect(reference.find((r) => r['assignment_id'] === caseId(7))).toMatchObject({ task_title: 'Tuyên truyền, phổ biến 7' });
      const { rows: [first] } = await db.query(
        `SELECT plan_id::text, plan_version, task_number, search_key, role, cycle, timeline_kind, status, due_before::text, lead_agency_ids,
                plan_coordinator_agency_id, version, updated_at IS NOT NULL AS dated FROM assignment_cases WHERE assignment_id = $1`,
        [caseId(1)],
      );
      expect(first).toEqual({
        plan_id: PLAN, plan_version: 1, task_number: '2', search_key: expect.stringContaining('tuyen truyen'), role: 'lead', cycle: 'once',
        timeline_kind: 'fixed', status: 'assigned', due_before: '2027-03-31', lead_agency_ids: ['agency-1', 'son-la.ubnd'],
        plan_coordinator_agency_id: null, version: 1, dated: true,
      });

      await new ProjectionRunner(store, caseBoardProjection, { batchSize: 7 }).rebuild();
      expect(await board()).toEqual(reference);
    } finally {
      await dropTestDatabase(database);
    }
  });
});
