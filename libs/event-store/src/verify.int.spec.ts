import { aMetadata, createTestDatabase, describeWithPostgres, dropTestDatabase, TestDatabase } from '@thihanh/testing';
import { EventEnvelope } from '@thihanh/contracts';
import { CatchUpSubscription } from './catch-up-subscription';
import { PostgresEventStore } from './event-store';
import { PgDatabase } from './database';
import { EVENT_STORE_MIGRATIONS } from './migrations';
import { sealAll } from './sealer';
import { verifyEventLog } from './verify';
import { verifyEnvelopes } from './envelope-verify';

/** A small log: 3 streams × 4 events, sealed, plus 2 unsealed events. */
async function aSealedLog(): Promise<{ database: TestDatabase; positions: Map<string, number[]> }> {
  const database = await createTestDatabase(EVENT_STORE_MIGRATIONS);
  const store = new PostgresEventStore(new PgDatabase(database.pool));
  for (const stream of ['plan-a', 'plan-b', 'plan-c']) {
    for (let v = 0; v < 4; v += 1) {
      await store.append({
        streamId: stream,
        streamType: 'plan',
        expectedVersion: v,
        events: [{ type: 'PlanTaskAdded', data: { number: `${v + 1}`, title: 'Tổ chức tuyên truyền, phổ biến' } }],
        metadata: aMetadata(),
      });
    }
  }
  await sealAll(new PgDatabase(database.pool), 5);
  await store.append({ streamId: 'plan-d', streamType: 'plan', expectedVersion: 'any', events: [{ type: 'PlanDrafted', data: {} }, { type: 'PlanIssued', data: {} }], metadata: aMetadata() });
  const { rows } = await new PgDatabase(database.pool).query<{ stream_id: string; global_position: string }>(
    `SELECT stream_id, global_position FROM es_events ORDER BY stream_id, stream_version`,
  );
  const positions = new Map<string, number[]>();
  for (const row of rows) positions.set(row.stream_id, [...(positions.get(row.stream_id) ?? []), Number(row.global_position)]);
  return { database, positions };
}

describeWithPostgres('tamper evidence: hash chains and seals', () => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await dropTestDatabase(database);
    database = undefined;
  });

  it('verifies a clean log: every event, every seal, the unsealed tail counted', async () => {
    const log = await aSealedLog();
    database = log.database;
    const report = await verifyEventLog(new PgDatabase(database.pool));
    expect(report).toMatchObject({ ok: true, eventsChecked: 14, streamsChecked: 4, sealsChecked: 3, unsealedEvents: 2, problems: [] });
    expect(report.firstBadPosition).toBeUndefined();
  });

  it('names the position of an edited row', async () => {
    const log = await aSealedLog();
    database = log.database;
    const target = log.positions.get('plan-b')![1];
    await new PgDatabase(database.pool).query(`UPDATE es_events SET data = '{"number":"2","title":"đã sửa"}' WHERE global_position = $1`, [target]);
    const report = await verifyEventLog(new PgDatabase(database.pool));
    expect(report.ok).toBe(false);
    expect(report.firstBadPosition).toBe(target);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'event_altered', position: target, streamId: 'plan-b', streamVersion: 2 })]);
  });

  it('names the position of an edited unsealed row', async () => {
    const log = await aSealedLog();
    database = log.database;
    const target = log.positions.get('plan-d')![0];
    await new PgDatabase(database.pool).query(`UPDATE es_events SET metadata = '{"actor":{"agencyId":"someone-else","clientId":"x"}}' WHERE global_position = $1`, [target]);
    const report = await verifyEventLog(new PgDatabase(database.pool));
    expect(report.firstBadPosition).toBe(target);
    expect(report.problems[0]).toMatchObject({ kind: 'event_altered', position: target });
  });

  it('names the position of a deleted row in the middle of a stream', async () => {
    const log = await aSealedLog();
    database = log.database;
    const [, second, third] = log.positions.get('plan-a')!;
    await new PgDatabase(database.pool).query(`DELETE FROM es_events WHERE global_position = $1`, [second]);
    const report = await verifyEventLog(new PgDatabase(database.pool));
    expect(report.ok).toBe(false);
    expect(report.firstBadPosition).toBe(second);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'events_missing', position: third, streamId: 'plan-a', streamVersion: 2 }),
        expect.objectContaining({ kind: 'sealed_event_missing', position: second }),
      ]),
    );
  });

  it('names the positions of a deleted stream tail', async () => {
    const log = await aSealedLog();
    database = log.database;
    const tail = log.positions.get('plan-c')!.slice(2);
    await new PgDatabase(database.pool).query(`DELETE FROM es_events WHERE stream_id = 'plan-c' AND stream_version > 2`);
    const report = await verifyEventLog(new PgDatabase(database.pool));
    expect(report.ok).toBe(false);
    expect(report.firstBadPosition).toBe(tail[0]);
    expect(report.problems.map((p) => [p.kind, p.position])).toEqual(tail.map((p) => ['sealed_event_missing', p]));
  });

  it('names every position of a whole deleted stream', async () => {
    const log = await aSealedLog();
    database = log.database;
    const all = log.positions.get('plan-b')!;
    await new PgDatabase(database.pool).query(`DELETE FROM es_events WHERE stream_id = 'plan-b'`);
    const report = await verifyEventLog(new PgDatabase(database.pool));
    expect(report.firstBadPosition).toBe(all[0]);
    expect(report.problems.map((p) => p.position).sort((a, b) => a! - b!)).toEqual(all);
  });

  it('detects an inserted row that does not belong to its stream chain', async () => {
    const log = await aSealedLog();
    database = log.database;
    const { rows } = await new PgDatabase(database.pool).query<{ global_position: string }>(
      `INSERT INTO es_events (stream_id, stream_type, stream_version, event_id, event_type, schema_version, data, metadata, recorded_at, prev_hash, hash)
       SELECT stream_id, stream_type, 5, gen_random_uuid(), 'PlanClosed', 1, '{}', metadata, recorded_at, hash, hash
         FROM es_events WHERE stream_id = 'plan-a' AND stream_version = 4
       RETURNING global_position`,
    );
    const report = await verifyEventLog(new PgDatabase(database.pool));
    expect(report.firstBadPosition).toBe(Number(rows[0].global_position));
    expect(report.problems[0]).toMatchObject({ kind: 'event_altered', streamId: 'plan-a', streamVersion: 5 });
  });

  it('detects a row moved in commit order, which its content hash does not cover', async () => {
    const log = await aSealedLog();
    database = log.database;
    const [, second, third] = log.positions.get('plan-a')!;
    // Version 2 now looks committed after version 3: the walk meets 3 before 2.
    await new PgDatabase(database.pool).query(
      `UPDATE es_events SET transaction_id = (SELECT transaction_id FROM es_events WHERE global_position = $2)
        WHERE global_position = $1`,
      [second, third],
    );
    const { rows: moved } = await new PgDatabase(database.pool).query<{ global_position: string }>(
      `UPDATE es_events SET global_position = DEFAULT WHERE global_position = $1 RETURNING global_position`,
      [second],
    );
    const report = await verifyEventLog(new PgDatabase(database.pool));
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'events_missing', position: third, streamId: 'plan-a', streamVersion: 2 }),
        expect.objectContaining({ kind: 'chain_broken', position: Number(moved[0].global_position), streamId: 'plan-a', streamVersion: 2 }),
      ]),
    );
  });

  it('detects a rewritten seal', async () => {
    const log = await aSealedLog();
    database = log.database;
    await new PgDatabase(database.pool).query(`UPDATE es_seals SET hash = sha256('forged') WHERE seq = 2`);
    const report = await verifyEventLog(new PgDatabase(database.pool));
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.kind)).toEqual(['seal_mismatch', 'seal_chain_broken']);
  });

  it('seals everything committed before the call, waiting out a transaction still open elsewhere', async () => {
    database = await createTestDatabase(EVENT_STORE_MIGRATIONS);
    const db = new PgDatabase(database.pool);
    const store = new PostgresEventStore(db);
    // A transaction with an id, open while events commit after it: the commit-safe read cannot pass it.
    const blocker = await db.connect();
    await blocker.query('BEGIN');
    await blocker.query('SELECT pg_current_xact_id()');
    for (let v = 0; v < 3; v += 1) {
      await store.append({ streamId: 'plan-e', streamType: 'plan', expectedVersion: v, events: [{ type: 'PlanTaskAdded', data: { v } }], metadata: aMetadata() });
    }
    const release = new Promise<void>((resolve) => setTimeout(() => void blocker.query('COMMIT').then(() => { blocker.release(); resolve(); }), 300));
    await sealAll(db, 2);
    await release;
    const report = await verifyEventLog(db);
    expect(report).toMatchObject({ ok: true, eventsChecked: 3, unsealedEvents: 0 });
  });

  it('verifies events held outside the database by their chains, as they travel on Kafka', async () => {
    const log = await aSealedLog();
    database = log.database;
    // Read as the relay reads them: drain waits out transactions still running elsewhere in the
    // cluster (a bare readAll stops below them, and parallel test files run some).
    const events: EventEnvelope[] = [];
    await new CatchUpSubscription(new PostgresEventStore(new PgDatabase(database.pool)), { name: 'copy', handle: async (batch) => void events.push(...batch) }).drain();
    // As a consumer receives them: through JSON.
    const travelled = events.map((e) => JSON.parse(JSON.stringify(e)));
    expect(verifyEnvelopes(travelled)).toMatchObject({ ok: true, eventsChecked: 14, streamsChecked: 4 });
    const altered = travelled.map((e) => (e.streamId === 'plan-b' && e.streamVersion === 2 ? { ...e, data: { ...e.data, title: 'đã sửa' } } : e));
    expect(verifyEnvelopes(altered).problems.map((p) => [p.kind, p.streamId, p.streamVersion])).toEqual([['event_altered', 'plan-b', 2]]);
    const missing = travelled.filter((e) => !(e.streamId === 'plan-a' && e.streamVersion === 2));
    expect(verifyEnvelopes(missing).problems.map((p) => [p.kind, p.streamVersion])).toEqual([['events_missing', 3]]);
    const forged = travelled.map((e) => (e.streamId === 'plan-c' && e.streamVersion === 3 ? { ...e, prevHash: e.hash } : e));
    expect(verifyEnvelopes(forged).problems.map((p) => p.kind)).toEqual(['chain_broken', 'event_altered']);
  });
});
