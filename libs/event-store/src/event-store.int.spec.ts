import { EventEnvelope } from '@thihanh/contracts';
import { ConcurrencyError } from '@thihanh/domain';
import { aMetadata, createTestDatabase, describeWithPostgres, dropTestDatabase, useTestDatabase } from '@thihanh/testing';
import { CatchUpSubscription } from './catch-up-subscription';
import { PostgresEventStore } from './event-store';
import { PgDatabase } from './database';
import { EVENT_STORE_MIGRATIONS } from './migrations';
import { TransactionOrderError } from './event-store.errors';
import { EventTypeRegistry } from './event-type-registry';
import { verifyEventLog } from './verify';

describeWithPostgres('PostgreSQL event store', () => {
  const database = useTestDatabase(EVENT_STORE_MIGRATIONS, { poolSize: 24 });
  const store = () => new PostgresEventStore(new PgDatabase(database.current.pool));
  const metadata = aMetadata();

  it('appends with an expected version and reads the stream back in order', async () => {
    const first = await store().append({
      streamId: 'plan-1',
      streamType: 'plan',
      expectedVersion: 'no_stream',
      events: [
        { type: 'PlanDrafted', data: { title: 'Kế hoạch triển khai thi hành Luật An ninh mạng' } },
        { type: 'PlanTaskAdded', data: { number: '1' } },
      ],
      metadata,
    });
    expect(first.nextVersion).toBe(2);
    const second = await store().append({
      streamId: 'plan-1',
      streamType: 'plan',
      expectedVersion: 2,
      events: [{ type: 'PlanIssued', data: { number: '123/KH-UBND' } }],
      metadata,
    });
    expect(second.nextVersion).toBe(3);
    const events = await store().readStream('plan-1');
    expect(events.map((e) => [e.streamVersion, e.type])).toEqual([
      [1, 'PlanDrafted'],
      [2, 'PlanTaskAdded'],
      [3, 'PlanIssued'],
    ]);
    expect(events[0].data).toEqual({ title: 'Kế hoạch triển khai thi hành Luật An ninh mạng' });
    expect(events[0].metadata).toEqual(metadata);
    expect(await store().streamVersion('plan-1')).toBe(3);
  });

  it('opens many streams in one statement with the rows and hashes one append each would write, all or nothing', async () => {
    const fixed = { now: () => new Date('2026-11-29T08:00:00.000Z') };
    const requests = Array.from({ length: 300 }, (_, i) => ({
      streamId: `assignment-open-${i}`,
      streamType: 'assignment',
      events: [{ eventId: `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`, type: 'AssignmentOpened', data: { i, agency: 'Sở Tư pháp' } }],
      metadata,
    }));
    const opened = await new PostgresEventStore(new PgDatabase(database.current.pool), { clock: fixed }).openStreams(requests);
    expect(opened.map((r) => [r.streamId, r.nextVersion])).toEqual(requests.map((r) => [r.streamId, 1]));
    expect(new Set(opened.map((r) => r.transactionId)).size).toBe(1);
    // Beside three of them appended one by one: the same stored text, first versions on a zero hash, and
    // verification (which recomputes every hash from its row) finds the batch's hashes right.
    const twin = new PostgresEventStore(new PgDatabase(database.current.pool), { clock: fixed });
    for (const r of requests.slice(0, 3)) await twin.append({ ...r, streamId: `${r.streamId}-twin`, events: [{ ...r.events[0], eventId: undefined }], expectedVersion: 'no_stream' });
    const rows = await database.current.pool.query(`SELECT stream_id, stream_version::int AS stream_version, encode(prev_hash, 'hex') AS prev, data::text AS data FROM es_events WHERE stream_id LIKE 'assignment-open-%' ORDER BY global_position`);
    expect(rows.rows.slice(0, 300).map((r) => [r.stream_version, r.prev])).toEqual(requests.map(() => [1, '0'.repeat(64)]));
    expect(rows.rows.slice(300).map((r) => r.data)).toEqual(rows.rows.slice(0, 3).map((r) => r.data));
    expect((await verifyEventLog(new PgDatabase(database.current.pool))).ok).toBe(true);
    // One stream that exists already: nothing of the batch is written.
    const again = [{ ...requests[0], streamId: 'assignment-open-new', events: [{ type: 'AssignmentOpened', data: {} }] }, { ...requests[5], events: [{ type: 'AssignmentOpened', data: {} }] }];
    await expect(store().openStreams(again)).rejects.toMatchObject({ code: 'CONCURRENCY.CONFLICT', streamId: 'assignment-open-5', actualVersion: 1 });
    expect(await store().streamVersion('assignment-open-new')).toBe(0);
    await expect(store().openStreams([{ ...requests[0], streamId: 'two-events', events: [requests[0].events[0], requests[1].events[0]] }])).rejects.toMatchObject({ code: 'EVENT_STORE.INVALID_EVENT' });
  });

  it('refuses a stale expected version with a typed conflict naming the actual version', async () => {
    await store().append({ streamId: 'plan-2', streamType: 'plan', expectedVersion: 0, events: [{ type: 'PlanDrafted', data: {} }], metadata });
    const attempt = store().append({ streamId: 'plan-2', streamType: 'plan', expectedVersion: 0, events: [{ type: 'PlanIssued', data: {} }], metadata });
    await expect(attempt).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(attempt).rejects.toMatchObject({ code: 'CONCURRENCY.CONFLICT', actualVersion: 1 });
    const ahead = store().append({ streamId: 'plan-2', streamType: 'plan', expectedVersion: 5, events: [{ type: 'PlanIssued', data: {} }], metadata });
    await expect(ahead).rejects.toMatchObject({ code: 'CONCURRENCY.CONFLICT', actualVersion: 1 });
    expect(await store().streamVersion('plan-2')).toBe(1);
  });

  it('gives exactly one success to 20 concurrent appends with the same expected version', async () => {
    await store().append({ streamId: 'case-race', streamType: 'case', expectedVersion: 'no_stream', events: [{ type: 'CaseOpened', data: {} }], metadata });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        store().append({
          streamId: 'case-race',
          streamType: 'case',
          expectedVersion: 1,
          events: [{ type: 'CaseAcknowledged', data: { by: i } }],
          metadata,
        }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const conflicts = results.filter((r) => r.status === 'rejected' && r.reason instanceof ConcurrencyError);
    expect(ok).toHaveLength(1);
    expect(conflicts).toHaveLength(19);
    expect(await store().streamVersion('case-race')).toBe(2);
    expect(await store().readStream('case-race')).toHaveLength(2);
  });

  it('gives exactly one success to 20 concurrent creations of the same new stream', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        store().append({ streamId: 'case-new', streamType: 'case', expectedVersion: 'no_stream', events: [{ type: 'CaseOpened', data: {} }], metadata }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof ConcurrencyError)).toHaveLength(19);
  });

  it('refuses, as retryable, an append that would break commit order after an earlier write in the transaction', async () => {
    const db = new PgDatabase(database.current.pool);
    await store().append({ streamId: 'order-b', streamType: 't', expectedVersion: 'any', events: [{ type: 'Happened', data: {} }], metadata });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let firstWritten!: () => void;
    const written = new Promise<void>((resolve) => (firstWritten = resolve));
    const slow = db.transaction(async (tx) => {
      await store().append({ streamId: 'order-a', streamType: 't', expectedVersion: 'any', events: [{ type: 'Happened', data: {} }], metadata }, tx);
      firstWritten(); // this transaction has its id now
      await gate; // another transaction appends to order-b meanwhile, with a newer transaction id
      await store().append({ streamId: 'order-b', streamType: 't', expectedVersion: 'any', events: [{ type: 'Happened', data: {} }], metadata }, tx);
    });
    await written;
    await store().append({ streamId: 'order-b', streamType: 't', expectedVersion: 'any', events: [{ type: 'Happened', data: {} }], metadata });
    release();
    await expect(slow).rejects.toBeInstanceOf(TransactionOrderError);
    expect(await store().streamVersion('order-a')).toBe(0);
    expect(await store().streamVersion('order-b')).toBe(2);
  });

  it('upcasts stored events to the current schema version on read', async () => {
    await store().append({
      streamId: 'agency-1',
      streamType: 'agency',
      expectedVersion: 'any',
      events: [{ type: 'AgencyRegistered', schemaVersion: 1, data: { name: 'Công an tỉnh' } }],
      metadata,
    });
    const registry = new EventTypeRegistry().register({
      type: 'AgencyRegistered',
      schemaVersion: 2,
      upcasters: { 1: (data: { name: string }) => ({ officialName: data.name, aliases: [] }) },
    });
    const [event] = await new PostgresEventStore(new PgDatabase(database.current.pool), { registry }).readStream('agency-1');
    expect(event.schemaVersion).toBe(2);
    expect(event.data).toEqual({ officialName: 'Công an tỉnh', aliases: [] });
  });

  it('reads in numeric transaction order where transaction ids gain a digit, each event once', async () => {
    // Two committed transactions on either side of a power of ten below the current id (e.g. 99,999
    // and 100,001): as text they sort the other way round, which once made subscribers repeat events.
    const db = new PgDatabase(database.current.pool);
    const current = BigInt((await db.query<{ xid: string }>(`SELECT pg_current_xact_id()::text AS xid`)).rows[0].xid);
    let boundary = 10n;
    while (boundary * 10n < current - 2n) boundary *= 10n;
    const [low, high] = [boundary - 1n, boundary + 1n];
    await db.query(`DELETE FROM es_events`);
    for (const [xid, streamId] of [[high, 'digits-high'], [low, 'digits-low']] as const) {
      await db.query(
        `INSERT INTO es_events (transaction_id, stream_id, stream_type, stream_version, event_id, event_type, schema_version, data, metadata, recorded_at, prev_hash, hash)
         VALUES ($1::text::xid8, $2, 't', 1, gen_random_uuid(), 'Happened', 1, '{}', '{}', now(), '\\x00', '\\x00')`,
        [String(xid), streamId],
      );
    }
    const all = await store().readAll();
    expect(all.map((e) => e.transactionId)).toEqual([String(low), String(high)]);
    const seen: string[] = [];
    const subscription = new CatchUpSubscription(store(), { name: 'digits', batchSize: 1, handle: async (events) => void seen.push(...events.map((e) => e.streamId)) });
    while ((await subscription.runOnce()) > 0);
    expect(seen).toEqual(['digits-low', 'digits-high']);
  });

  it('reads envelopes as the driver used to: recorded-at to the millisecond in UTC, hashes in hex, data as written', async () => {
    const db = new PgDatabase(database.current.pool);
    await db.query(
      `INSERT INTO es_events (stream_id, stream_type, stream_version, event_id, event_type, schema_version, data, metadata, recorded_at, prev_hash, hash)
       VALUES ('shape-1', 't', 1, '0193A6F2-0000-7000-8000-00000000AB01', 'Happened', 3, '{"a": [1, 2.5e3, "Sơn La"], "b": null}', '{"actor":{"agencyId":"x","clientId":"y"}}',
               '2026-01-02 03:04:05.678999+07', '\\x00ff', '\\xabcd')`,
    );
    const [event] = await store().readStream('shape-1');
    expect(event).toEqual({
      eventId: '0193a6f2-0000-7000-8000-00000000ab01',
      type: 'Happened',
      schemaVersion: 3,
      streamId: 'shape-1',
      streamType: 't',
      streamVersion: 1,
      globalPosition: expect.any(Number),
      transactionId: expect.stringMatching(/^[1-9][0-9]*$/),
      recordedAt: '2026-01-01T20:04:05.678Z',
      data: { a: [1, 2500, 'Sơn La'], b: null },
      metadata: { actor: { agencyId: 'x', clientId: 'y' } },
      prevHash: '00ff',
      hash: 'abcd',
    });
    const all: EventEnvelope[] = [];
    await new CatchUpSubscription(store(), { name: 'shape', batchSize: 3, handle: async (events) => void all.push(...events) }).drain();
    expect(all.find((e) => e.streamId === 'shape-1')).toEqual(event);
  });

  it('resumes a subscription from its durable checkpoint', async () => {
    const seen: string[] = [];
    const name = 'resume-test';
    const subscribe = () =>
      new CatchUpSubscription(store(), { name, transactional: true, handle: async (events) => void seen.push(...events.map((e) => e.eventId)) });
    const before = await store().count();
    expect(await subscribe().drain()).toBe(before);
    await store().append({ streamId: 'later-1', streamType: 't', expectedVersion: 'any', events: [{ type: 'Happened', data: {} }, { type: 'Happened', data: {} }], metadata });
    expect(await subscribe().drain()).toBe(2);
    expect(new Set(seen).size).toBe(before + 2);
  });
});

describeWithPostgres('commit-safe global order under concurrent writers', () => {
  it('delivers 20,000 events appended by 8 concurrent writers to a live subscriber exactly once, each stream in version order', async () => {
    const database = await createTestDatabase(EVENT_STORE_MIGRATIONS, { poolSize: 12 });
    try {
      const store = new PostgresEventStore(new PgDatabase(database.pool));
      const WRITERS = 8;
      const PER_WRITER = 2500;
      const SHARED_STREAMS = 16;
      const OWN_STREAMS = 25;
      const metadata = aMetadata();

      const received: EventEnvelope[] = [];
      const subscription = new CatchUpSubscription(store, {
        name: 'concurrency-test',
        batchSize: 500,
        idleMs: 5,
        handle: async (events) => void received.push(...events),
        onError: (error) => process.stdout.write(`[concurrency] subscriber error: ${String(error)}\n`),
      });
      subscription.start();

      const started = Date.now();
      await Promise.all(
        Array.from({ length: WRITERS }, async (_, w) => {
          const ownVersions = new Map<string, number>();
          for (let i = 0; i < PER_WRITER; i += 1) {
            if (i % 2 === 0) {
              // Overlapping: every writer appends to the same few streams.
              const streamId = `shared-${(i / 2) % SHARED_STREAMS}`;
              await store.append({ streamId, streamType: 'shared', expectedVersion: 'any', events: [{ type: 'SharedThingHappened', data: { w, i } }], metadata });
            } else {
              // Distinct: each writer's own streams, with exact expected versions.
              const streamId = `writer-${w}-${((i - 1) / 2) % OWN_STREAMS}`;
              const version = ownVersions.get(streamId) ?? 0;
              await store.append({ streamId, streamType: 'own', expectedVersion: version, events: [{ type: 'OwnThingHappened', data: { w, i } }], metadata });
              ownVersions.set(streamId, version + 1);
            }
          }
        }),
      );
      const seconds = (Date.now() - started) / 1000;
      const total = WRITERS * PER_WRITER;

      const deadline = Date.now() + 60_000;
      while (received.length < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 200)); // anything extra would arrive now
      await subscription.stop();

      process.stdout.write(
        `[concurrency] ${total} events by ${WRITERS} writers in ${seconds.toFixed(2)} s = ${Math.round(total / seconds)} events/s; subscriber received ${received.length}\n`,
      );
      expect(await store.count()).toBe(total);
      expect(received).toHaveLength(total);
      expect(new Set(received.map((e) => e.eventId)).size).toBe(total);
      const lastVersion = new Map<string, number>();
      let outOfOrder = 0;
      for (const event of received) {
        const previous = lastVersion.get(event.streamId) ?? 0;
        if (event.streamVersion !== previous + 1) outOfOrder += 1;
        lastVersion.set(event.streamId, event.streamVersion);
      }
      expect(outOfOrder).toBe(0);
      expect(lastVersion.size).toBe(SHARED_STREAMS + WRITERS * OWN_STREAMS);
      const sharedTotal = [...lastVersion].filter(([id]) => id.startsWith('shared-')).reduce((n, [, v]) => n + v, 0);
      expect(sharedTotal).toBe(total / 2);
    } finally {
      await dropTestDatabase(database);
    }
  });
});
