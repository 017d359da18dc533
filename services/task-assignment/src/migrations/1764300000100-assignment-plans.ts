import { MigrationInterface, QueryRunner } from 'typeorm';

/** The issued plans this service works from: what it needs to open each year's cycle by itself. */
export class AssignmentPlans1764300000100 implements MigrationInterface {
  name = 'AssignmentPlans1764300000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE assignment_plans (
        plan_id uuid PRIMARY KEY,
        plan_version integer NOT NULL,
        content jsonb NOT NULL,
        source_event_id uuid NOT NULL,
        correlation_id text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS assignment_plans`);
  }
}
