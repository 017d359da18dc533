import { MigrationInterface, QueryRunner } from 'typeorm';

export class PlanCatalogue1764200000000 implements MigrationInterface {
  name = 'PlanCatalogue1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE plan_catalogue (
        plan_id uuid PRIMARY KEY,
        province text NOT NULL,
        number text,
        title text NOT NULL,
        search_key text NOT NULL,
        status text NOT NULL,
        plan_version integer NOT NULL,
        stream_version integer NOT NULL,
        issued_on date,
        task_count integer NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX plan_catalogue_province_ix ON plan_catalogue (province, updated_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS plan_catalogue`);
  }
}
