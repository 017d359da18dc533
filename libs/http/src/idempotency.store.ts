import { Database } from '@thihanh/event-store';
import { randomUUID } from 'node:crypto';

export const HTTP_DATABASE = Symbol('HTTP_DATABASE');

export interface IdempotencyScope {
  clientId: string;
  key: string;
}

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export type Claim =
  | { outcome: 'claimed'; lockId: string }
  | { outcome: 'completed'; response: StoredResponse }
  | { outcome: 'in_progress' }
  | { outcome: 'fingerprint_mismatch' };

export interface IdempotencyStoreOptions {
  /** How long a key is remembered. */
  ttlSeconds?: number;
  /** After this long, a request still "in progress" is taken to have died, and a retry may run again. */
  leaseSeconds?: number;
}

/** Times are the database's `now()`, so every instance of a service agrees on expiry. */
export class IdempotencyStore {
  private readonly ttlSeconds: number;
  private readonly leaseSeconds: number;

  constructor(
    private readonly db: Database,
    options: IdempotencyStoreOptions = {},
  ) {
    this.ttlSeconds = options.ttlSeconds ?? 24 * 3600;
    this.leaseSeconds = options.leaseSeconds ?? 300;
  }

  async claim({ clientId, key }: IdempotencyScope, fingerprint: string): Promise<Claim> {
    // Two rounds at most: a key released (5xx) between our insert and our read is free to claim again.
    for (let round = 0; round < 2; round += 1) {
      const lockId = randomUUID();
      // ON CONFLICT DO NOTHING, except that an expired key or an abandoned run of the same request
      // is taken over in the same statement, so no purge has to run first.
      const claimed = await this.db.query(
        `INSERT INTO http_idempotency AS i (client_id, key, fingerprint, lock_id, expires_at)
         VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))
         ON CONFLICT (client_id, key) DO UPDATE
           SET fingerprint = EXCLUDED.fingerprint, lock_id = EXCLUDED.lock_id, locked_at = now(),
               expires_at = EXCLUDED.expires_at, status = NULL, headers = NULL, body = NULL
         WHERE i.expires_at <= now()
            OR (i.status IS NULL AND i.fingerprint = EXCLUDED.fingerprint
                AND i.locked_at <= now() - make_interval(secs => $6))
         RETURNING lock_id`,
        [clientId, key, fingerprint, lockId, this.ttlSeconds, this.leaseSeconds],
      );
      if (claimed.rowCount) return { outcome: 'claimed', lockId };

      const { rows } = await this.db.query<{ fingerprint: string; status: number | null; headers: Record<string, string>; body: unknown }>(
        `SELECT fingerprint, status, headers, body FROM http_idempotency
          WHERE client_id = $1 AND key = $2 AND expires_at > now()`,
        [clientId, key],
      );
      const [row] = rows;
      if (!row) continue;
      if (row.fingerprint !== fingerprint) return { outcome: 'fingerprint_mismatch' };
      if (row.status === null) return { outcome: 'in_progress' };
      return { outcome: 'completed', response: { status: row.status, headers: row.headers, body: row.body } };
    }
    return { outcome: 'in_progress' };
  }

  async complete({ clientId, key }: IdempotencyScope, lockId: string, response: StoredResponse): Promise<void> {
    // JSON.stringify ourselves: pg would send a JS array as a PostgreSQL array, and a string unquoted.
    await this.db.query(
      `UPDATE http_idempotency SET status = $4, headers = $5::json, body = $6::json
        WHERE client_id = $1 AND key = $2 AND lock_id = $3`,
      [clientId, key, lockId, response.status, JSON.stringify(response.headers), JSON.stringify(response.body ?? null)],
    );
  }

  /** Forgets a run that failed on our side, so the client's retry executes. */
  async release({ clientId, key }: IdempotencyScope, lockId: string): Promise<void> {
    await this.db.query(`DELETE FROM http_idempotency WHERE client_id = $1 AND key = $2 AND lock_id = $3`, [
      clientId,
      key,
      lockId,
    ]);
  }

  /** Deletes expired keys; returns how many. Lookups already ignore them, this only reclaims space. */
  async purgeExpired(): Promise<number> {
    const { rowCount } = await this.db.query(`DELETE FROM http_idempotency WHERE expires_at <= now()`);
    return rowCount ?? 0;
  }
}
