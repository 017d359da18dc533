import { aMetadata, describeWithPostgres, unitOfWorkContract, useTestDatabase } from '@thihanh/testing';
import { Pool } from 'pg';
import { PgDatabase } from './database';
import { PostgresEventStore } from './event-store';
import { EVENT_STORE_MIGRATIONS } from './migrations';
import { CatchUpSubscription } from './catch-up-subscription';
import { afterCommit, RolledBackAtCommitError } from './unit-of-work';

describeWithPostgres('a unit of work on PostgreSQL', () => {
  const database = useTestDatabase(EVENT_STORE_MIGRATIONS);
  let db: PgDatabase;
  beforeAll(() => {
    db = new PgDatabase(database.current.pool);
  });

  describe('the contract', () => unitOfWorkContract(() => ({ db, afterCommit })));

  it('keeps its writes from other connections until it commits', async () => {
    const store = new PostgresEventStore(db);
    const seenInside: number[] = [];
    await db.unitOfWork(async () => {
      await store.append({ streamId: 'uow-visible', streamType: 'uow', expectedVersion: 'no_stream', events: [{ type: 'Happened', data: {} }], metadata: aMetadata() });
      seenInside.push((await store.readStream('uow-visible')).length);
      seenInside.push(Number((await database.current.pool.query(`SELECT count(*) FROM es_events WHERE stream_id = 'uow-visible'`)).rows[0].count));
    });
    expect(seenInside).toEqual([1, 0]);
    expect(await store.readStream('uow-visible')).toHaveLength(1);
  });

  it('leaves no event of a unit that failed after appending', async () => {
    const store = new PostgresEventStore(db);
    await expect(
      db.unitOfWork(async () => {
        await store.append({ streamId: 'uow-undone', streamType: 'uow', expectedVersion: 'no_stream', events: [{ type: 'Happened', data: {} }], metadata: aMetadata() });
        throw new Error('the answer could not be kept');
      }),
    ).rejects.toThrow('the answer could not be kept');
    expect(await store.readStream('uow-undone')).toEqual([]);
    expect(await store.streamVersion('uow-undone')).toBe(0);
  });

  it('takes a connection only at its first statement, so a unit still waiting (an upload) holds none', async () => {
    const pool = new Pool({ connectionString: database.current.url, max: 1 });
    const single = new PgDatabase(pool);
    try {
      let proceed!: () => void;
      const uploaded = new Promise<void>((resolve) => (proceed = resolve));
      const unit = single.unitOfWork(async () => {
        await uploaded;
        return (await single.query<{ one: number }>('SELECT 1 AS one')).rows[0].one;
      });
      // The pool's one connection is free while the unit waits: this would wait forever otherwise.
      expect((await single.query<{ two: number }>('SELECT 2 AS two')).rows[0].two).toBe(2);
      proceed();
      expect(await unit).toBe(1);
      expect(pool.totalCount - pool.idleCount).toBe(0);
    } finally {
      await pool.end();
    }
  });

  it('refuses to wait for the log’s readers inside a unit, which would wait for its own transaction', async () => {
    const subscription = new CatchUpSubscription(new PostgresEventStore(db), { name: 'uow-waiter', handle: async () => undefined });
    await expect(
      db.unitOfWork(async () => {
        await db.query('SELECT 1');
        await subscription.caughtUp(1_000);
      }),
    ).rejects.toThrow(/cannot wait to catch up inside a unit of work/);
    await subscription.drain();
    await subscription.caughtUp(5_000); // outside a unit, the same wait ends
  });

  it('does not pass a transaction PostgreSQL rolled back at COMMIT (a failed statement caught) for a commit', async () => {
    await db.query('CREATE TABLE uow_aborted (id text PRIMARY KEY)');
    await expect(
      db.unitOfWork(async () => {
        await db.query(`INSERT INTO uow_aborted VALUES ('a')`);
        await db.query(`INSERT INTO uow_aborted VALUES ('a')`).catch(() => undefined); // swallowed: the transaction is aborted
      }),
    ).rejects.toBeInstanceOf(RolledBackAtCommitError);
    expect((await db.query('SELECT count(*)::int AS n FROM uow_aborted')).rows[0]).toEqual({ n: 0 });
  });

  it('refuses a dedicated connection inside a unit (it would not see the unit’s writes, and could wait for its locks)', async () => {
    await expect(db.unitOfWork(() => db.connect())).rejects.toThrow(/cannot be opened inside a unit of work/);
  });

  it('keeps a committed unit committed when a wake-up after it throws', async () => {
    await db.query('CREATE TABLE uow_woken (id text PRIMARY KEY)');
    const result = await db.unitOfWork(async () => {
      await db.query(`INSERT INTO uow_woken VALUES ('a')`);
      afterCommit(() => {
        throw new Error('the relay is gone');
      });
      return 'done';
    });
    expect(result).toBe('done');
    expect((await db.query('SELECT count(*)::int AS n FROM uow_woken')).rows[0]).toEqual({ n: 1 });
  });
});
