import { afterCommit, EmbeddedPostgres, EVENT_STORE_MIGRATIONS, PostgresEventStore, runMigrations, verifyEventLog, sealAll, CatchUpSubscription } from '@thihanh/event-store';
import { aMetadata, unitOfWorkContract } from '@thihanh/testing';

describe('the event store on embedded PostgreSQL (PGlite)', () => {
  let embedded: EmbeddedPostgres;
  beforeAll(async () => {
    embedded = await EmbeddedPostgres.open();
  }, 60_000);
  afterAll(async () => embedded?.close());

  it('appends, reads in commit order, subscribes, seals and verifies, one schema per service', async () => {
    const db = embedded.forService('task_assignment');
    expect(await runMigrations(db, EVENT_STORE_MIGRATIONS)).toHaveLength(EVENT_STORE_MIGRATIONS.length);
    expect(await runMigrations(db, EVENT_STORE_MIGRATIONS)).toEqual([]);
    const store = new PostgresEventStore(db);
    const metadata = aMetadata();
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.append({ streamId: `s-${i % 4}`, streamType: 's', expectedVersion: 'any', events: [{ type: 'Happened', data: { i, name: 'Sở Tư pháp' } }], metadata })));
    const seen: number[] = [];
    const subscription = new CatchUpSubscription(store, { name: 'test', handle: async (events) => void seen.push(...events.map((e) => (e.data as { i: number }).i)) });
    await subscription.drain();
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(await sealAll(db)).toBeGreaterThan(0);
    expect(await verifyEventLog(db)).toMatchObject({ ok: true, eventsChecked: 20, streamsChecked: 4 });
    // The checks run in SQL (sha256, window functions): PGlite must name what is wrong, as PostgreSQL does.
    const two = await store.append({ streamId: 's-x', streamType: 's', expectedVersion: 'no_stream', events: [{ type: 'Happened', data: { i: 1 } }, { type: 'Happened', data: { i: 2 } }], metadata });
    expect(await verifyEventLog(db)).toMatchObject({ ok: true, eventsChecked: 22, streamsChecked: 5, unsealedEvents: 2 });
    await db.query(`UPDATE es_events SET data = '{"i":3}' WHERE global_position = $1`, [two.lastPosition]);
    expect(await verifyEventLog(db)).toMatchObject({ ok: false, firstBadPosition: two.lastPosition, problems: [expect.objectContaining({ kind: 'event_altered' })] });
    await db.query(`DELETE FROM es_events WHERE global_position = $1`, [two.firstPosition]);
    expect((await verifyEventLog(db)).problems.map((p) => p.kind)).toEqual(['events_missing', 'event_altered']);
    // Many new streams in one statement (a plan's fan-out), on PGlite too.
    const opened = await store.openStreams(Array.from({ length: 50 }, (_, i) => ({ streamId: `case-${i}`, streamType: 'case', events: [{ type: 'Opened', data: { i } }], metadata })));
    expect(opened).toHaveLength(50);
    await expect(store.openStreams([{ streamId: 'case-7', streamType: 'case', events: [{ type: 'Opened', data: {} }], metadata }])).rejects.toMatchObject({ code: 'CONCURRENCY.CONFLICT' });
    const other = embedded.forService('plan_registry');
    await runMigrations(other, EVENT_STORE_MIGRATIONS);
    expect(await new PostgresEventStore(other).count()).toBe(0);
  });

  describe('a unit of work', () => {
    unitOfWorkContract(() => ({ db: embedded.forService('uow_contract'), afterCommit }));

    it('holds the one session from its first statement to its end: other services wait, nothing interleaves', async () => {
      const mine = embedded.forService('uow_mine');
      const theirs = embedded.forService('uow_theirs');
      await mine.query('CREATE TABLE items (id text PRIMARY KEY)');
      await theirs.query('CREATE TABLE items (id text PRIMARY KEY)');
      const order: string[] = [];
      let theirWrite!: Promise<unknown>;
      await mine.unitOfWork(async () => {
        await mine.query(`INSERT INTO items VALUES ('mine')`);
        theirWrite = theirs.query(`INSERT INTO items VALUES ('theirs')`).then(() => order.push('theirs'));
        await new Promise((resolve) => setTimeout(resolve, 50));
        order.push('mine commits');
      });
      await theirWrite;
      expect(order).toEqual(['mine commits', 'theirs']);
      expect((await mine.query('SELECT id FROM items')).rows).toEqual([{ id: 'mine' }]);
      expect((await theirs.query('SELECT id FROM items')).rows).toEqual([{ id: 'theirs' }]);
    });
  });
});
