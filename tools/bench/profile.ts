import { Session } from 'node:inspector';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  CatchUpSubscription,
  EVENT_STORE_MIGRATIONS,
  PgDatabase,
  PostgresEventStore,
  ProjectionRunner,
  runMigrations,
  sealAll,
  verifyEventLog,
} from '@thihanh/event-store';

/**
 * node -r @swc-node/register tools/bench/profile.ts — CPU profiles of the client side of catch-up,
 * verification and rebuild (with the set-based applyBatch, as the bench), in a scratch database.
 * Also profiles 8 writers appending one event each for 3 s.
 * Writes <phase>.cpuprofile to BENCH_PROFILE_DIR (default /tmp/thihanh-bench-profile) and prints the
 * functions with the most self time. BENCH_EVENTS (default 100,000), DATABASE_URL as for the bench.
 */

const EVENTS = Math.max(500, Math.round(Number(process.env.BENCH_EVENTS ?? 100_000) / 500) * 500);
const DIR = process.env.BENCH_PROFILE_DIR ?? '/tmp/thihanh-bench-profile';
const BASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const session = new Session();
session.connect();
function post<T>(method: string): Promise<T> {
  return new Promise((resolve, reject) => session.post(method, {}, (error, result) => (error ? reject(error) : resolve(result as T))));
}

async function profile(name: string, work: () => Promise<unknown>, count: () => number = () => EVENTS): Promise<void> {
  await post('Profiler.enable');
  await post('Profiler.start');
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  const { profile } = await post<{ profile: CpuProfile }>('Profiler.stop');
  writeFileSync(join(DIR, `${name}.cpuprofile`), JSON.stringify(profile));
  process.stdout.write(`\n${name}: ${seconds.toFixed(2)} s, ${Math.round(count() / seconds)} events/s\n${summarize(profile)}`);
}

function summarize(profile: CpuProfile, top = 12): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)!.callFrame;
    const where = frame.url.replace(/.*node_modules\//, '').replace(`${process.cwd()}/`, '');
    const key = `${frame.functionName || '(anonymous)'} ${where}${where ? `:${frame.lineNumber + 1}` : ''}`;
    const dt = profile.timeDeltas[i] ?? 0;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, us]) => `  ${(us / 1000).toFixed(0).padStart(6)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}\n`)
    .join('');
}

async function main(): Promise<void> {
  mkdirSync(DIR, { recursive: true });
  const dbName = `thihanh_bench_profile_${process.pid}`;
  const admin = new Client({ connectionString: BASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(BASE_URL);
  url.pathname = `/${dbName}`;
  const db = PgDatabase.fromUrl(url.toString());
  db.pool.on('error', () => undefined);
  try {
    await runMigrations(db, EVENT_STORE_MIGRATIONS);
    const store = new PostgresEventStore(db);
    const data = { caseId: '0193a6f2-6c1e-7b3a-9d2f-4e5a6b7c8d9e', notes: 'Đương sự đã nhận quyết định; hẹn làm việc tại trụ sở.'.repeat(8) };
    const metadata = { actor: { agencyId: 'son-la.cong-an-tinh', clientId: 'bench' }, correlationId: 'c', causationId: 'd' };
    for (let k = 0; k < EVENTS / 500; k++) {
      const events = Array.from({ length: 500 }, () => ({ type: 'CaseOpened', data }));
      await store.append({ streamId: `case-${k}`, streamType: 'Case', expectedVersion: 'no_stream', events, metadata });
    }
    // Appends: 8 writers, one event per append, 3 s; with the share of one core this process used.
    const versions = new Map<string, number>();
    let appended = 0;
    const cpu = process.cpuUsage();
    await profile('append', async () => {
      const deadline = performance.now() + 3000;
      await Promise.all(
        Array.from({ length: 8 }, async (_, w) => {
          for (let i = 0; performance.now() < deadline; i++) {
            const streamId = `append-${w}-${i % 50}`;
            const result = await store.append({ streamId, streamType: 'Case', expectedVersion: versions.get(streamId) ?? 0, events: [{ type: 'CaseOpened', data }], metadata });
            versions.set(streamId, result.nextVersion);
            appended += 1;
          }
        }),
      );
    }, () => appended);
    const used = process.cpuUsage(cpu);
    process.stdout.write(`  append: this process used ${((used.user + used.system) / 30_000).toFixed(0)}% of one core over the 3 s\n`);
    await db.query('VACUUM ANALYZE es_events');
    await profile('catchup', () => new CatchUpSubscription(store, { name: 'profile', batchSize: 5000, handle: async () => undefined }).drain());
    await sealAll(db);
    await profile('verify', () => verifyEventLog(db));
    await db.query('CREATE TABLE profile_counts (stream_id text PRIMARY KEY, events bigint NOT NULL)');
    // As the bench's rebuild: a projection with the optional set-based applyBatch.
    const runner = new ProjectionRunner(store, {
      name: 'profile-counts',
      handles: ['CaseOpened'],
      apply: async (event, tx) => {
        await tx.query(
          `INSERT INTO profile_counts VALUES ($1, 1) ON CONFLICT (stream_id) DO UPDATE SET events = profile_counts.events + 1`,
          [event.streamId],
        );
      },
      applyBatch: async (events, tx) => {
        const counts = new Map<string, number>();
        for (const event of events) counts.set(event.streamId, (counts.get(event.streamId) ?? 0) + 1);
        await tx.query(
          `INSERT INTO profile_counts SELECT * FROM unnest($1::text[], $2::bigint[])
           ON CONFLICT (stream_id) DO UPDATE SET events = profile_counts.events + EXCLUDED.events`,
          [[...counts.keys()], [...counts.values()]],
        );
      },
      reset: async (tx) => {
        await tx.query('TRUNCATE profile_counts');
      },
    });
    await profile('rebuild', () => runner.rebuild());
  } finally {
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
