import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reporting's tables. `rp_source_events` keeps every event consumed from the other services, in the
 * order it arrived: the read models (`rp_plans`, `rp_cases`, `rp_consultations`,
 * `rp_consultation_answers`) are rebuilt from it at any time. Rounds and reports are reporting's
 * own event-sourced aggregates; `rp_rounds` and `rp_agency_reports` are their read models.
 */
export class Reporting1764500000000 implements MigrationInterface {
  name = 'Reporting1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rp_source_events (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        source text NOT NULL,
        envelope jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE rp_plans (
        plan_id uuid PRIMARY KEY,
        plan_version integer NOT NULL,
        province text NOT NULL,
        number text,
        title text NOT NULL,
        issuer text,
        place text,
        issued_on date,
        coordinator_agency_id text,
        reporting jsonb NOT NULL,
        tasks jsonb NOT NULL,
        status text NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE rp_cases (
        assignment_id uuid PRIMARY KEY,
        plan_id uuid NOT NULL,
        task_number text NOT NULL,
        task_title text NOT NULL,
        agency_id text NOT NULL,
        role text NOT NULL,
        cycle text NOT NULL,
        status text NOT NULL,
        status_before_block text,
        percent integer NOT NULL DEFAULT 0,
        due_before date,
        opened_on date NOT NULL,
        last_submitted_on date,
        done_on date,
        accepted_on date,
        cancelled_on date,
        deliverables jsonb NOT NULL DEFAULT '[]',
        version integer NOT NULL
      )`);
    await q.query(`CREATE INDEX rp_cases_plan_ix ON rp_cases (plan_id, agency_id)`);
    await q.query(`
      CREATE TABLE rp_consultations (
        consultation_id uuid PRIMARY KEY,
        plan_id uuid,
        task_number text,
        draft_type text NOT NULL,
        draft_title text NOT NULL,
        lead_agency_id text NOT NULL,
        coordinator_agency_ids text[] NOT NULL,
        deadline date,
        status text NOT NULL,
        drafts integer NOT NULL DEFAULT 0,
        response_number text,
        response_date date,
        submitted_on date,
        issued_number text,
        issued_date date,
        version integer NOT NULL
      )`);
    await q.query(`
      CREATE TABLE rp_consultation_comments (
        comment_id uuid PRIMARY KEY,
        consultation_id uuid NOT NULL,
        agency_id text NOT NULL,
        kind text NOT NULL,
        withdrawn boolean NOT NULL DEFAULT false,
        decision text,
        submitted_on date NOT NULL
      )`);
    await q.query(`CREATE INDEX rp_consultation_comments_ix ON rp_consultation_comments (consultation_id, agency_id)`);
    await q.query(`
      CREATE TABLE rp_rounds (
        round_id uuid PRIMARY KEY,
        plan_id uuid NOT NULL,
        kind text NOT NULL,
        title text NOT NULL,
        period_from date NOT NULL,
        period_to date NOT NULL,
        due_before date NOT NULL,
        coordinator_agency_id text NOT NULL,
        agency_ids text[] NOT NULL,
        task_numbers text[] NOT NULL,
        status text NOT NULL,
        provincial_report jsonb,
        version integer NOT NULL
      )`);
    await q.query(`CREATE INDEX rp_rounds_plan_ix ON rp_rounds (plan_id, due_before)`);
    await q.query(`
      CREATE TABLE rp_agency_reports (
        report_id uuid PRIMARY KEY,
        round_id uuid NOT NULL,
        agency_id text NOT NULL,
        status text NOT NULL,
        late boolean NOT NULL DEFAULT false,
        submitted_at timestamptz,
        figures jsonb,
        narrative jsonb,
        returned_reason text,
        version integer NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX rp_agency_reports_round_ix ON rp_agency_reports (round_id, agency_id)`);
    await q.query(`
      CREATE TABLE rp_files (
        sha256 text PRIMARY KEY,
        size integer NOT NULL,
        content_type text NOT NULL,
        content bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['rp_files', 'rp_agency_reports', 'rp_rounds', 'rp_consultation_comments', 'rp_consultations', 'rp_cases', 'rp_plans', 'rp_source_events']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
