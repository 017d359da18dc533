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

/** Abandoned runs remembered at most (oldest forgotten first: their keys then wait out the lease). */
const MAX_ABANDONED = 10_000;

/** Times are the database's `now()`, so every instance of a service agrees on expiry. */
export class IdempotencyStore {
  private readonly ttlSeconds: number;
  private readonly leaseSeconds: number;
  /**
   * Runs this process gave up on whose claim it could not settle (the database was away, which is
   * usually why they failed; or a claim's answer was lost): `client\nkey` → lock ids. A retry here takes such a key over at once instead of
   * waiting out the lease. Only this process knows its runs are over, so only it may.
   */
  private readonly abandoned = new Map<string, Set<string>>();

  constructor(
    private readonly db: Database,
    options: IdempotencyStoreOptions = {},
  ) {
    this.ttlSeconds = options.ttlSeconds ?? 24 * 3600;
    this.leaseSeconds = options.leaseSeconds ?? 300;
  }

  async claim({ clientId, key }: IdempotencyScope, fingerprint: string): Promise<Claim> {
    const scopeKey = `${clientId}\n${key}`;
    // Two rounds at most: a key released (5xx) between our insert and our read is free to claim again.
    for (let round = 0; round < 2; round += 1) {
      const lockId = randomUUID();
      // ON CONFLICT DO NOTHING, except that an expired key or an abandoned run of the same request
      // is taken over in the same statement, so no purge has to run first.
      const claimed = await this.remembering(scopeKey, lockId, () => this.db.query(
        `INSERT INTO http_idempotency AS i (client_id, key, fingerprint, lock_id, expires_at)
         VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))
         ON CONFLICT (client_id, key) DO UPDATE
           SET fingerprint = EXCLUDED.fingerprint, lock_id = EXCLUDED.lock_id, locked_at = now(),
               expires_at = EXCLUDED.expires_at, status = NULL, headers = NULL, body = NULL
         WHERE i.expires_at <= now()
            OR (i.status IS NULL AND i.fingerprint = EXCLUDED.fingerprint
                AND (i.locked_at <= now() - make_interval(secs => $6) OR i.lock_id = ANY ($7::uuid[])))
         RETURNING lock_id`,
        [clientId, key, fingerprint, lockId, this.ttlSeconds, this.leaseSeconds, [...(this.abandoned.get(scopeKey) ?? [])]],
      ));
      if (claimed.rowCount) {
        this.abandoned.delete(scopeKey);
        return { outcome: 'claimed', lockId };
      }

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
    await this.remembering(`${clientId}\n${key}`, lockId, () => this.db.query(
      `UPDATE http_idempotency SET status = $4, headers = $5::json, body = $6::json
        WHERE client_id = $1 AND key = $2 AND lock_id = $3`,
      [clientId, key, lockId, response.status, JSON.stringify(response.headers), JSON.stringify(response.body ?? null)],
    ));
  }

  /**
   * Forgets a run that failed on our side, so the client's retry executes — unless its answer was kept
   * after all (its COMMIT went through and only the acknowledgement was lost): then the retry replays
   * it. If the database cannot be told (it is the outage that failed the run), the run is remembered
   * as abandoned: the retry, once the database is back, takes the key over here instead of meeting
   * "in progress" for the lease. Never throws: the run's own error is what the client hears.
   */
  async release({ clientId, key }: IdempotencyScope, lockId: string): Promise<void> {
    await this.remembering(`${clientId}\n${key}`, lockId, () =>
      this.db.query(`DELETE FROM http_idempotency WHERE client_id = $1 AND key = $2 AND lock_id = $3 AND status IS NULL`, [clientId, key, lockId]),
    ).catch(() => undefined);
  }

  /**
   * Runs a statement about this process's run `lockId`; if it fails, the statement may or may not have
   * happened (a connection cut after COMMIT: a claim made, a completion lost), so the run is
   * remembered as abandoned and the client's retry may take the key over here.
   */
  private async remembering<T>(scopeKey: string, lockId: string, statement: () => Promise<T>): Promise<T> {
    try {
      return await statement();
    } catch (error) {
      const oldest = this.abandoned.keys().next();
      if (this.abandoned.size >= MAX_ABANDONED && !oldest.done && !this.abandoned.has(scopeKey)) this.abandoned.delete(oldest.value);
      this.abandoned.set(scopeKey, (this.abandoned.get(scopeKey) ?? new Set()).add(lockId));
      throw error;
    }
  }

  /** Deletes expired keys; returns how many. Lookups already ignore them, this only reclaims space. */
  async purgeExpired(): Promise<number> {
    const { rowCount } = await this.db.query(`DELETE FROM http_idempotency WHERE expires_at <= now()`);
    return rowCount ?? 0;
  }
}
