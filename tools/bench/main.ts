import { Client } from 'pg';
import { EventEnvelope, EventMetadata } from '@thihanh/contracts';
import {
  CatchUpSubscription,
  EVENT_STORE_MIGRATIONS,
  PgDatabase,
  PostgresEventStore,
  Projection,
  ProjectionRunner,
  SqlClient,
  runMigrations,
  sealAll,
  verifyEventLog,
} from '@thihanh/event-store';
import { CORES, emit, fmt, log, positiveInt, printSummary, round, row } from './report';
import { runSystemBenchmarks } from './system';

/**
 * npm run bench — measured speed of the event store against raw PostgreSQL in the same run.
 * Prints one JSON object per figure on stdout (see /work/shared/BENCH.md), a summary table on stderr.
 * Env: DATABASE_URL (server to create a scratch database on), BENCH_EVENTS (log size, default
 * 1,000,000), BENCH_SECONDS (duration of each timed insert/append run, default 5).
 * Not part of `npm test`. See docs/performance.md.
 */

const BASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const EVENTS = positiveInt(process.env.BENCH_EVENTS, 1_000_000);
const SECONDS = positiveInt(process.env.BENCH_SECONDS, 5);
const FILL_PER_APPEND = 500;
const FILL_WRITERS = 4;
const STREAMS_PER_WRITER = 50;

/** A realistic event payload: a case opened at an agency, with Vietnamese text (~0.7 kB of JSON). */
const PAYLOAD = {
  caseId: '0193a6f2-6c1e-7b3a-9d2f-4e5a6b7c8d9e',
  planId: '0193a6f2-5b0d-7c2e-8a1f-3d4e5f6a7b8c',
  agencyId: 'son-la.cong-an-tinh',
  province: 'son-la',
  kind: 'thi-hanh-an-hinh-su',
  subject: {
    fullName: 'Nguyễn Văn An',
    birthDate: '1987-03-14',
    idNumber: '014087001234',
    address: 'Bản Mòng, xã Hua La, thành phố Sơn La, tỉnh Sơn La',
  },
  decision: { number: '125/2026/QĐ-CA', issuedAt: '2026-11-02', issuedBy: 'Tòa án nhân dân tỉnh Sơn La' },
  obligations: [
    { code: 'fine', amountVnd: 15000000, dueDate: '2027-02-01' },
    { code: 'court-fee', amountVnd: 200000, dueDate: '2027-02-01' },
  ],
  notes: 'Đương sự đã nhận quyết định; hẹn làm việc tại trụ sở vào tuần sau.',
  openedAt: '2026-11-29T08:15:00.000Z',
};
const PAYLOAD_TEXT = JSON.stringify(PAYLOAD);
const METADATA: EventMetadata = {
  actor: { agencyId: 'son-la.cong-an-tinh', clientId: 'bench', person: 'can-bo-01', roles: ['officer'] },
  correlationId: '0193a6f2-0000-7000-8000-000000000001',
  causationId: '0193a6f2-0000-7000-8000-000000000002',
};

/** Runs `clients` loops of `op` for `seconds`; returns completed operations per second. */
async function timed(clients: number, seconds: number, op: (client: number, i: number) => Promise<unknown>): Promise<{ ops: number; perSecond: number }> {
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  const counts = new Array<number>(clients).fill(0);
  await Promise.all(
    counts.map(async (_, c) => {
      while (performance.now() < deadline) {
        await op(c, counts[c]);
        counts[c] += 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const ops = counts.reduce((a, b) => a + b, 0);
  return { ops, perSecond: ops / elapsed };
}

async function main(): Promise<void> {
  const dbName = `thihanh_bench_${process.pid}`;
  const admin = new Client({ connectionString: BASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  log(`created database ${dbName}; events=${fmt(EVENTS)}, ${SECONDS} s per timed run, ${CORES} cores`);
  const url = new URL(BASE_URL);
  url.pathname = `/${dbName}`;
  const db = PgDatabase.fromUrl(url.toString(), { max: 12 });
  let closing = false;
  // pool.end() resolves before the sockets are gone; DROP … WITH (FORCE) may then terminate them.
  db.pool.on('error', (error) => {
    if (!closing) log(`pool error: ${error.message}`);
  });
  try {
    await runMigrations(db, EVENT_STORE_MIGRATIONS);
    const { rows: version } = await db.query<{ server_version: string }>(`SHOW server_version`);
    log(`PostgreSQL ${version[0].server_version}`);
    await run(db);
  } finally {
    closing = true;
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
    log(`dropped database ${dbName}`);
  }
  await runSystemBenchmarks();
  printSummary(EVENTS);
}

async function run(db: PgDatabase): Promise<void> {
  const store = new PostgresEventStore(db);

  // 1 + 2. Raw single-row insert transactions against event-store appends, same client counts.
  await db.query(`CREATE TABLE bench_raw (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, stream_id text NOT NULL, data jsonb NOT NULL)`);
  const raw: Record<number, number> = {};
  // The machine is shared and noisy: each figure and its baseline run in alternating one-second
  // slices (SECONDS of each), so a neighbour's burst hits both alike.
  await db.query(`CREATE TABLE bench_events_shape (LIKE es_events INCLUDING ALL)`);
  const hash = Buffer.alloc(32, 1);
  const metadataText = JSON.stringify(METADATA);
  const versions = new Map<string, number>();
  const shapeVersions = new Map<string, number>();
  const ops = {
    raw: (c: number) => db.query(`INSERT INTO bench_raw (stream_id, data) VALUES ($1, $2)`, [`raw-${c}`, PAYLOAD_TEXT]),
    append: (clients: number) => async (c: number, i: number) => {
      const streamId = `append-${clients}-${c}-${i % STREAMS_PER_WRITER}`;
      const result = await store.append({
        streamId,
        streamType: 'Case',
        expectedVersion: versions.get(streamId) ?? 0,
        events: [{ type: 'CaseOpened', data: PAYLOAD }],
        metadata: METADATA,
      });
      versions.set(streamId, result.nextVersion);
    },
    // Diagnostic: a single-row INSERT into a table shaped like es_events (its four indexes), without
    // es_append (no lock, no version lookup, no hashing): how much of the gap is the table itself.
    shape: (clients: number) => (c: number) => {
      const streamId = `shape-${clients}-${c}`;
      const version = (shapeVersions.get(streamId) ?? 0) + 1;
      shapeVersions.set(streamId, version);
      return db.query(
        `INSERT INTO bench_events_shape (stream_id, stream_type, stream_version, event_id, event_type, schema_version,
                                         data, metadata, recorded_at, prev_hash, hash)
         VALUES ($1, 'Case', $2, $3, 'CaseOpened', 1, $4, $5, now(), $6, $6)`,
        [streamId, version, store.ids.next(), PAYLOAD_TEXT, metadataText, hash],
      );
    },
  };
  for (const clients of [1, 8]) {
    log(`raw INSERT / store append / es_events-shaped INSERT, ${clients} client(s), ${SECONDS} × 1 s slices each`);
    const total = { raw: 0, append: 0, shape: 0 };
    const rate = { raw: 0, append: 0, shape: 0 };
    for (let slice = 0; slice < SECONDS; slice++) {
      const r = await timed(clients, 1, ops.raw);
      const a = await timed(clients, 1, ops.append(clients));
      const d = await timed(clients, 1, ops.shape(clients));
      total.raw += r.ops;
      total.append += a.ops;
      total.shape += d.ops;
      rate.raw += r.perSecond / SECONDS;
      rate.append += a.perSecond / SECONDS;
      rate.shape += d.perSecond / SECONDS;
    }
    raw[clients] = rate.raw;
    const plural = clients > 1 ? 's' : '';
    emit({ figure: 'pg.insert.txn_per_s', clients, value: rate.raw, ops: total.raw, statement: 'single-row INSERT, autocommit (one round trip, one commit)' });
    row(`pg.insert.txn_per_s (${clients} client${plural})`, fmt(rate.raw), 'baseline');
    const ratio = rate.append / rate.raw;
    emit({ figure: 'store.append.events_per_s', clients, value: rate.append, ops: total.append, baseline: 'pg.insert.txn_per_s', ratio: round(ratio) });
    row(
      `store.append.events_per_s (${clients} writer${plural})`,
      `${fmt(rate.append)} (ratio ${ratio.toFixed(2)})`,
      clients === 8 ? 'ratio ≥ 0.80' : '',
      clients === 8 ? (ratio >= 0.8 ? 'met' : 'MISSED') : '',
    );
    const shapeRatio = rate.shape / rate.raw;
    emit({ figure: 'diag.pg.insert_event_row.txn_per_s', clients, value: rate.shape, ops: total.shape, baseline: 'pg.insert.txn_per_s', ratio: round(shapeRatio) });
    row(`diag: INSERT into es_events-shaped table (${clients} client${plural})`, `${fmt(rate.shape)} (ratio ${shapeRatio.toFixed(2)})`);
  }
  await db.query(`DROP TABLE bench_events_shape`);

  // 1. 100-row INSERT statements.
  {
    log(`raw 100-row INSERT statements, 1 client, ${SECONDS} s`);
    const values: string[] = [];
    const params: string[] = [];
    for (let i = 0; i < 100; i++) {
      values.push(`($${2 * i + 1}, $${2 * i + 2})`);
      params.push(`raw-batch-${i % 10}`, PAYLOAD_TEXT);
    }
    const sql = `INSERT INTO bench_raw (stream_id, data) VALUES ${values.join(', ')}`;
    const r = await timed(1, SECONDS, () => db.query(sql, params));
    emit({ figure: 'pg.insert.batch_rows_per_s', clients: 1, rows_per_statement: 100, value: r.perSecond * 100, ops: r.ops });
    row('pg.insert.batch_rows_per_s (100-row INSERTs)', fmt(r.perSecond * 100), 'baseline');
  }
  await db.query(`DROP TABLE bench_raw`);
  // Start the log-wide figures from an empty log, so "events" is exactly what was filled.
  await db.query(`TRUNCATE es_events, es_checkpoints, es_seals`);

  // Fill the log through es_append: many streams, large multi-event appends, 4 writers.
  const appends = Math.ceil(EVENTS / FILL_PER_APPEND);
  log(`filling ${fmt(EVENTS)} events: ${fmt(appends)} appends of ≤${FILL_PER_APPEND}, ${FILL_WRITERS} writers`);
  let next = 0;
  let filled = 0;
  const fillStarted = performance.now();
  let lastReport = fillStarted;
  await Promise.all(
    Array.from({ length: FILL_WRITERS }, async () => {
      for (let k = next++; k < appends; k = next++) {
        const count = Math.min(FILL_PER_APPEND, EVENTS - k * FILL_PER_APPEND);
        const events = Array.from({ length: count }, () => ({ type: 'CaseOpened', data: PAYLOAD }));
        await store.append({ streamId: `case-${k}`, streamType: 'Case', expectedVersion: 'no_stream', events, metadata: METADATA });
        filled += count;
        if (performance.now() - lastReport > 10_000) {
          lastReport = performance.now();
          log(`  filled ${fmt(filled)} (${fmt(filled / ((lastReport - fillStarted) / 1000))}/s)`);
        }
      }
    }),
  );
  const fillSeconds = (performance.now() - fillStarted) / 1000;
  const written = await store.count();
  if (written !== EVENTS) throw new Error(`Filled ${written} events, expected ${EVENTS}`);
  emit({ figure: 'store.fill.events_per_s', events: EVENTS, writers: FILL_WRITERS, events_per_append: FILL_PER_APPEND, value: EVENTS / fillSeconds, seconds: round(fillSeconds) });
  row(`store.fill.events_per_s (${FILL_WRITERS} writers × ${FILL_PER_APPEND}/append)`, fmt(EVENTS / fillSeconds));
  await db.query(`VACUUM ANALYZE es_events`);

  // 3. Catch-up read of the whole log, non-transactional, batches of 5,000.
  {
    log(`catch-up from START over ${fmt(EVENTS)} events, batch 5000`);
    const maxPosition = Number((await db.query<{ m: string }>(`SELECT max(global_position) AS m FROM es_events`)).rows[0].m);
    const seen = new Uint8Array(maxPosition + 1);
    let delivered = 0;
    let duplicates = 0;
    const subscription = new CatchUpSubscription(store, {
      name: 'bench:catchup',
      batchSize: 5000,
      handle: async (events: EventEnvelope[]) => {
        for (const event of events) {
          if (seen[event.globalPosition]) duplicates += 1;
          seen[event.globalPosition] = 1;
        }
        delivered += events.length;
      },
    });
    const started = performance.now();
    await subscription.drain();
    const seconds = (performance.now() - started) / 1000;
    const distinct = delivered - duplicates;
    const rate = delivered / seconds;
    emit({ figure: 'store.catchup.events_per_s', events: EVENTS, delivered, distinct, batch: 5000, value: rate, seconds: round(seconds) });
    const ok = delivered === EVENTS && distinct === EVENTS;
    row(
      'store.catchup.events_per_s',
      `${fmt(rate)} (delivered ${fmt(delivered)}/${fmt(EVENTS)})`,
      '≥ 100,000, none skipped',
      rate >= 100_000 && ok ? 'met' : 'MISSED',
    );
  }

  // 4. Seal, then verify the whole log.
  {
    log('sealing the log');
    const sealStarted = performance.now();
    const seals = await sealAll(db, 10_000, 120_000);
    const sealSeconds = (performance.now() - sealStarted) / 1000;
    emit({ figure: 'audit.seal.events_per_s', events: EVENTS, seals, value: EVENTS / sealSeconds, seconds: round(sealSeconds) });
    row('audit.seal.events_per_s (sealAll)', fmt(EVENTS / sealSeconds));
    log('verifying the log');
    const started = performance.now();
    const report = await verifyEventLog(db);
    const seconds = (performance.now() - started) / 1000;
    if (!report.ok) throw new Error(`verifyEventLog found problems: ${JSON.stringify(report.problems.slice(0, 3))}`);
    if (report.eventsChecked !== EVENTS) throw new Error(`verifyEventLog checked ${report.eventsChecked}, expected ${EVENTS}`);
    const rate = report.eventsChecked / seconds;
    emit({ figure: 'audit.verify.events_per_s', events: report.eventsChecked, seals: report.sealsChecked, ok: report.ok, value: rate, seconds: round(seconds) });
    row('audit.verify.events_per_s', fmt(rate), '≥ 200,000', rate >= 200_000 ? 'met' : 'MISSED');
  }

  // 5. Rebuild a simple read model (one row per stream, a counter) from the whole log, through
  // ProjectionRunner.rebuild() as the services rebuild theirs. The projection implements the optional
  // set-based `applyBatch` (one upsert per batch of 500); the diagnostic after it rebuilds the same
  // read model through `apply` alone, one statement per event, as projections without it do.
  {
    await db.query(`CREATE TABLE bench_stream_counts (stream_id text PRIMARY KEY, events bigint NOT NULL)`);
    const perEvent: Projection = {
      name: 'bench-stream-counts',
      handles: ['CaseOpened'],
      tables: ['bench_stream_counts'],
      apply: async (event: EventEnvelope, tx: SqlClient) => {
        await tx.query(
          `INSERT INTO bench_stream_counts (stream_id, events) VALUES ($1, 1)
           ON CONFLICT (stream_id) DO UPDATE SET events = bench_stream_counts.events + 1`,
          [event.streamId],
        );
      },
      reset: async (tx: SqlClient) => {
        await tx.query(`TRUNCATE bench_stream_counts`);
      },
    };
    const batched: Projection = {
      ...perEvent,
      applyBatch: async (events: EventEnvelope[], tx: SqlClient) => {
        const counts = new Map<string, number>();
        for (const event of events) counts.set(event.streamId, (counts.get(event.streamId) ?? 0) + 1);
        await tx.query(
          `INSERT INTO bench_stream_counts (stream_id, events)
           SELECT * FROM unnest($1::text[], $2::bigint[])
           ON CONFLICT (stream_id) DO UPDATE SET events = bench_stream_counts.events + EXCLUDED.events`,
          [[...counts.keys()], [...counts.values()]],
        );
      },
    };
    const rebuild = async (projection: Projection) => {
      const started = performance.now();
      const read = await new ProjectionRunner(store, projection).rebuild();
      const seconds = (performance.now() - started) / 1000;
      const { rows: check } = await db.query<{ n: string; s: string }>(`SELECT count(*) AS n, coalesce(sum(events), 0) AS s FROM bench_stream_counts`);
      const applied = Number(check[0].s);
      if (read !== EVENTS || applied !== EVENTS) throw new Error(`Rebuild read ${read} and applied ${applied} events, expected ${EVENTS}`);
      return { read, applied, streams: Number(check[0].n), seconds, rate: read / seconds };
    };
    log(`rebuilding a read model over ${fmt(EVENTS)} events (projection with applyBatch)`);
    const r = await rebuild(batched);
    emit({ figure: 'readmodel.rebuild.events_per_s', events: r.read, applied: r.applied, streams: r.streams, batch: 500, apply: 'applyBatch', value: r.rate, seconds: round(r.seconds) });
    row('readmodel.rebuild.events_per_s (applyBatch)', fmt(r.rate), '≥ 50,000', r.rate >= 50_000 ? 'met' : 'MISSED');
    log(`diagnostic: the same rebuild through apply, one statement per event`);
    const d = await rebuild(perEvent);
    emit({ figure: 'diag.readmodel.rebuild_per_event.events_per_s', events: d.read, applied: d.applied, batch: 500, apply: 'apply', value: d.rate, seconds: round(d.seconds) });
    row('diag: rebuild through apply (one statement per event)', fmt(d.rate));
  }

  // 6. Resident memory of this process — not a service's figure.
  const rss = process.memoryUsage().rss / (1024 * 1024);
  emit({ figure: 'rss_mb', service: 'bench-process', state: 'bench', value: rss, note: 'the benchmark process itself, not a service' });
  row('rss_mb (bench process itself, not a service)', rss.toFixed(0));
}

main().catch((error) => {
  process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
