import { EventEnvelope } from '@thihanh/contracts';
import { aMetadata, describeWithPostgres, useTestDatabase } from '@thihanh/testing';
import { PgDatabase, SqlClient } from './database';
import { PostgresEventStore } from './event-store';
import { EVENT_STORE_MIGRATIONS } from './migrations';
import { Projection, ProjectionRunner } from './projection';

/** Counts events per stream: not idempotent on purpose, so any double application shows. */
const counting: Projection = {
  name: 'stream-counts',
  handles: ['CaseProgressed'],
  async apply(event: EventEnvelope, tx: SqlClient) {
    await tx.query(
      `INSERT INTO stream_counts (stream_id, n) VALUES ($1, 1) ON CONFLICT (stream_id) DO UPDATE SET n = stream_counts.n + 1`,
      [event.streamId],
    );
  },
  async reset(tx: SqlClient) {
    await tx.query('TRUNCATE stream_counts');
  },
};

/** The same read model with a set-based batch path: one upsert per batch. */
const countingInBatches: Projection = {
  ...counting,
  name: 'stream-counts-batched',
  async applyBatch(events: EventEnvelope[], tx: SqlClient) {
    const counts = new Map<string, number>();
    for (const event of events) counts.set(event.streamId, (counts.get(event.streamId) ?? 0) + 1);
    await tx.query(
      `INSERT INTO stream_counts (stream_id, n) SELECT * FROM unnest($1::text[], $2::int[])
       ON CONFLICT (stream_id) DO UPDATE SET n = stream_counts.n + EXCLUDED.n`,
      [[...counts.keys()], [...counts.values()]],
    );
  },
};

describeWithPostgres('projections', () => {
  const database = useTestDatabase(EVENT_STORE_MIGRATIONS);
  let db: PgDatabase;
  let store: PostgresEventStore;
  const counts = async () =>
    Object.fromEntries((await db.query<{ stream_id: string; n: number }>('SELECT stream_id, n FROM stream_counts ORDER BY stream_id')).rows.map((r) => [r.stream_id, r.n]));
  const progress = (streamId: string, times: number) =>
    store.append({ streamId, streamType: 'case', expectedVersion: 'any', events: Array.from({ length: times }, () => ({ type: 'CaseProgressed', data: {} })), metadata: aMetadata() });

  beforeAll(async () => {
    db = new PgDatabase(database.current.pool);
    store = new PostgresEventStore(db);
    await db.query('CREATE TABLE stream_counts (stream_id text PRIMARY KEY, n int NOT NULL)');
  });

  it('applies each event exactly once, even when a catch-up races the running loop, and rebuilds to the same state', async () => {
    await progress('case-a', 3);
    await progress('case-b', 2);
    await store.append({ streamId: 'other', streamType: 'x', expectedVersion: 'any', events: [{ type: 'Unrelated', data: {} }], metadata: aMetadata() });
    const runner = new ProjectionRunner(store, counting, { idleMs: 1 });
    runner.start();
    const racer = new ProjectionRunner(store, counting);
    await Promise.all([progress('case-a', 40), racer.catchUp(), runner.catchUp(), progress('case-c', 25), racer.catchUp()]);
    await runner.catchUp();
    expect(await counts()).toEqual({ 'case-a': 43, 'case-b': 2, 'case-c': 25 });

    const live = await counts();
    expect(await runner.rebuild()).toBe(await store.count());
    expect(await counts()).toEqual(live);
    await progress('case-b', 1);
    await runner.catchUp();
    expect((await counts())['case-b']).toBe(3);
    await runner.stop();
  });

  it('applies each event exactly once through a batch apply too, and rebuilds through it to the same state as through apply', async () => {
    const perEvent = new ProjectionRunner(store, counting);
    await perEvent.rebuild();
    const reference = await counts();
    const runner = new ProjectionRunner(store, countingInBatches, { idleMs: 1, batchSize: 7 });
    runner.start();
    const racer = new ProjectionRunner(store, countingInBatches, { batchSize: 7 });
    await runner.rebuild();
    expect(await counts()).toEqual(reference);
    await Promise.all([progress('case-d', 30), racer.catchUp(), runner.catchUp(), progress('case-a', 5), racer.catchUp()]);
    await runner.catchUp();
    expect(await counts()).toEqual({ ...reference, 'case-a': reference['case-a'] + 5, 'case-d': 30 });
    await runner.stop();
  });
});
