import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Responses to commands sent with an Idempotency-Key, per calling client. `status` is null while the
 * first request runs. Bodies are `json`, not `jsonb`, so a replay sends back the same text.
 */
export class HttpIdempotency1764100000000 implements MigrationInterface {
  name = 'HttpIdempotency1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE http_idempotency (
        client_id text NOT NULL,
        key text NOT NULL,
        fingerprint text NOT NULL,
        lock_id uuid NOT NULL,
        locked_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        status integer,
        headers json,
        body json,
        PRIMARY KEY (client_id, key)
      )`);
    await q.query(`CREATE INDEX http_idempotency_expires_ix ON http_idempotency (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS http_idempotency`);
  }
}
