import { PgDatabase } from '@thihanh/event-store';
import { describeWithPostgres, useTestDatabase } from '@thihanh/testing';
import { HTTP_MIGRATIONS } from './http.migrations';
import { IdempotencyStore } from './idempotency.store';

describeWithPostgres('idempotency store', () => {
  const database = useTestDatabase(HTTP_MIGRATIONS);
  const store = () => new IdempotencyStore(new PgDatabase(database.current.pool));
  const age = (key: string, column: 'expires_at' | 'locked_at', interval: string) =>
    database.current.pool.query(`UPDATE http_idempotency SET ${column} = now() - $2::interval WHERE key = $1`, [key, interval]);
  const response = { status: 201, headers: { etag: '"1"' }, body: { id: 'p1' } };

  it('remembers a key for 24 hours', async () => {
    await store().claim({ clientId: 'c', key: 'ttl' }, 'f');
    const { rows } = await database.current.pool.query(
      `SELECT round(extract(epoch FROM expires_at - locked_at) / 3600) AS hours FROM http_idempotency WHERE key = 'ttl'`,
    );
    expect(Number(rows[0].hours)).toBe(24);
  });

  it('treats an expired key as new, even for another request', async () => {
    const scope = { clientId: 'c', key: 'expired' };
    const first = await store().claim(scope, 'f1');
    await store().complete(scope, first.outcome === 'claimed' ? first.lockId : '', response);
    expect(await store().claim(scope, 'f1')).toEqual({ outcome: 'completed', response });
    await age('expired', 'expires_at', '1 second');
    expect((await store().claim(scope, 'f2')).outcome).toBe('claimed');
  });

  it('lets a retry take over a run abandoned past its lease, but not a live one', async () => {
    const scope = { clientId: 'c', key: 'abandoned' };
    await store().claim(scope, 'f');
    expect(await store().claim(scope, 'f')).toEqual({ outcome: 'in_progress' });
    await age('abandoned', 'locked_at', '10 minutes');
    expect(await store().claim(scope, 'other')).toEqual({ outcome: 'fingerprint_mismatch' });
    expect((await store().claim(scope, 'f')).outcome).toBe('claimed');
  });

  it('lets a retry here take over at once a run whose release the database missed; another process waits out the lease', async () => {
    const db = new PgDatabase(database.current.pool);
    let away = false;
    const flaky = { ...db, query: (text: string, params?: unknown[]) => (away ? Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })) : db.query(text, params)) };
    const here = new IdempotencyStore(flaky as unknown as PgDatabase);
    const scope = { clientId: 'c', key: 'outage' };
    const run = await here.claim(scope, 'f');
    expect(run.outcome).toBe('claimed');
    away = true;
    await expect(here.release(scope, run.outcome === 'claimed' ? run.lockId : '')).resolves.toBeUndefined();
    away = false;
    expect(await store().claim(scope, 'f')).toEqual({ outcome: 'in_progress' });
    const retry = await here.claim(scope, 'f');
    expect(retry.outcome).toBe('claimed');
    expect(await here.claim(scope, 'f')).toEqual({ outcome: 'in_progress' });
  });

  it('ignores completion by a run whose claim was taken over', async () => {
    const scope = { clientId: 'c', key: 'taken-over' };
    const stale = await store().claim(scope, 'f');
    await age('taken-over', 'locked_at', '10 minutes');
    await store().claim(scope, 'f');
    await store().complete(scope, stale.outcome === 'claimed' ? stale.lockId : '', response);
    expect(await store().claim(scope, 'f')).toEqual({ outcome: 'in_progress' });
  });

  it('purges expired keys only', async () => {
    await store().claim({ clientId: 'p', key: 'old' }, 'f');
    await store().claim({ clientId: 'p', key: 'fresh' }, 'f');
    await age('old', 'expires_at', '1 minute');
    expect(await store().purgeExpired()).toBeGreaterThanOrEqual(1);
    const { rows } = await database.current.pool.query(`SELECT key FROM http_idempotency WHERE client_id = 'p'`);
    expect(rows.map((r) => r.key)).toEqual(['fresh']);
  });
});
