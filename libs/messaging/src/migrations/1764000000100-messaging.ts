import { MigrationInterface, QueryRunner } from 'typeorm';

/** The inbox: which events a consumer has applied, written in the same transaction as the effect. */
export class Messaging1764000000100 implements MigrationInterface {
  name = 'Messaging1764000000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE msg_inbox (
        consumer text NOT NULL,
        event_id uuid NOT NULL,
        topic text NOT NULL,
        partition integer NOT NULL,
        "offset" bigint NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS msg_inbox`);
  }
}
