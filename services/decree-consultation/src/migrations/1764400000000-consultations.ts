import { MigrationInterface, QueryRunner } from 'typeorm';

/** The consultation board (one row per consultation), its comments, and the files (drafts, responses) by content. */
export class Consultations1764400000000 implements MigrationInterface {
  name = 'Consultations1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE consultations (
        consultation_id uuid PRIMARY KEY,
        plan_id uuid,
        task_number text,
        draft_type text NOT NULL,
        draft_title text NOT NULL,
        search_key text NOT NULL,
        drafting_ministry text,
        legal_refs text[] NOT NULL,
        lead_agency_id text NOT NULL,
        coordinator_agency_ids text[] NOT NULL,
        deadline date,
        deadline_text text,
        status text NOT NULL,
        draft_version integer NOT NULL DEFAULT 0,
        response_drafted boolean NOT NULL DEFAULT false,
        response_number text,
        response_date date,
        response_sha256 text,
        issued_number text,
        issued_date date,
        version integer NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX consultations_plan_ix ON consultations (plan_id, task_number)`);
    await q.query(`CREATE INDEX consultations_lead_ix ON consultations (lead_agency_id)`);
    await q.query(`CREATE INDEX consultations_coordinators_ix ON consultations USING gin (coordinator_agency_ids)`);
    await q.query(`
      CREATE TABLE consultation_comments (
        comment_id uuid PRIMARY KEY,
        consultation_id uuid NOT NULL,
        agency_id text NOT NULL,
        kind text NOT NULL,
        anchor text,
        draft_version integer,
        text text NOT NULL,
        withdrawn boolean NOT NULL DEFAULT false,
        link_status text NOT NULL DEFAULT 'linked',
        decision text,
        reason text,
        submitted_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX consultation_comments_ix ON consultation_comments (consultation_id, agency_id)`);
    await q.query(`
      CREATE TABLE consultation_files (
        sha256 text PRIMARY KEY,
        size integer NOT NULL,
        content_type text NOT NULL,
        content bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS consultation_files`);
    await q.query(`DROP TABLE IF EXISTS consultation_comments`);
    await q.query(`DROP TABLE IF EXISTS consultations`);
  }
}
