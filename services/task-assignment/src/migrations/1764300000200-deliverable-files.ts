import { MigrationInterface, QueryRunner } from 'typeorm';

/** Uploaded deliverables, stored by content (SHA-256): the event records the hash, this keeps the bytes. */
export class DeliverableFiles1764300000200 implements MigrationInterface {
  name = 'DeliverableFiles1764300000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE deliverable_files (
        sha256 text PRIMARY KEY,
        size integer NOT NULL,
        content_type text NOT NULL,
        content bytea NOT NULL,
        uploaded_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS deliverable_files`);
  }
}
