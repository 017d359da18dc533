import { MigrationInterface, QueryRunner } from 'typeorm';

export class AssignmentCases1764300000000 implements MigrationInterface {
  name = 'AssignmentCases1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE assignment_cases (
        assignment_id uuid PRIMARY KEY,
        plan_id uuid NOT NULL,
        plan_version integer NOT NULL,
        task_number text NOT NULL,
        task_title text NOT NULL,
        search_key text NOT NULL,
        agency_id text NOT NULL,
        role text NOT NULL,
        cycle text NOT NULL,
        timeline_kind text,
        status text NOT NULL,
        status_before_block text,
        percent integer NOT NULL DEFAULT 0,
        due_before date,
        lead_agency_ids text[] NOT NULL,
        plan_coordinator_agency_id text,
        deliverables integer NOT NULL DEFAULT 0,
        version integer NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX assignment_cases_agency_ix ON assignment_cases (agency_id, due_before)`);
    await q.query(`CREATE INDEX assignment_cases_plan_ix ON assignment_cases (plan_id, task_number)`);
    await q.query(`CREATE INDEX assignment_cases_due_ix ON assignment_cases (due_before) WHERE status NOT IN ('accepted', 'cancelled')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS assignment_cases`);
  }
}
