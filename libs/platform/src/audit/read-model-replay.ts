import { randomBytes } from 'node:crypto';
import { Database, loadCheckpoint, PostgresEventStore, Projection, START, checkpointOf, compareCheckpoints } from '@thihanh/event-store';

export interface TableComparison {
  table: string;
  live: number;
  replayed: number;
  /** Rows in the live table that the replay did not produce (up to `sample`). */
  onlyLive: Record<string, unknown>[];
  /** Rows the replay produced that the live table lacks (up to `sample`). */
  onlyReplayed: Record<string, unknown>[];
}

export interface ReplayComparison {
  projection: string;
  events: number;
  equal: boolean;
  tables: TableComparison[];
  seconds: number;
}

/**
 * Rebuilds a read model from the log into fresh tables beside the live ones and compares them row by
 * row, in one REPEATABLE READ snapshot: the replay stops where the live projection's checkpoint is in
 * that snapshot, so both saw the same events. The fresh tables live in a schema of their own, created
 * and dropped in the transaction (rolled back): the live read model is never touched. The projection
 * writes unqualified table names, so `search_path` sends them to the fresh copies.
 */
export async function replayAndCompare(db: Database, store: PostgresEventStore, projection: Projection, options: { sample?: number; batchSize?: number } = {}): Promise<ReplayComparison> {
  const tables = projection.tables ?? [];
  if (!tables.length) throw new Error(`Projection ${projection.name} does not name its tables`);
  const started = process.hrtime.bigint();
  const schema = `audit_replay_${randomBytes(6).toString('hex')}`;
  const sample = options.sample ?? 20;
  const handles = new Set(projection.handles);
  const tx = await db.connect();
  let broken = false;
  try {
    await tx.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    const target = await loadCheckpoint(tx, `projection:${projection.name}`);
    await tx.query(`CREATE SCHEMA ${schema}`);
    for (const table of tables) await tx.query(`CREATE TABLE ${schema}.${table} (LIKE public.${table} INCLUDING ALL)`);
    await tx.query(`SET LOCAL search_path = ${schema}, public`);
    let from = START;
    let events = 0;
    for (;;) {
      const batch = (await store.readAll(from, options.batchSize ?? 2000, tx)).filter((e) => compareCheckpoints(checkpointOf(e), target) <= 0);
      if (!batch.length) break;
      for (const event of batch) if (handles.has(event.type)) await projection.apply(event, tx);
      events += batch.length;
      from = checkpointOf(batch[batch.length - 1]);
    }
    const compared: TableComparison[] = [];
    for (const table of tables) {
      const count = async (name: string) => Number((await tx.query<{ n: string }>(`SELECT count(*) AS n FROM ${name}`)).rows[0].n);
      const except = async (a: string, b: string) =>
        (await tx.query<Record<string, unknown>>(`SELECT * FROM (SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b}) d LIMIT ${sample}`)).rows;
      compared.push({
        table,
        live: await count(`public.${table}`),
        replayed: await count(`${schema}.${table}`),
        onlyLive: await except(`public.${table}`, `${schema}.${table}`),
        onlyReplayed: await except(`${schema}.${table}`, `public.${table}`),
      });
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const equal = compared.every((t) => t.live === t.replayed && !t.onlyLive.length && !t.onlyReplayed.length);
    return { projection: projection.name, events, equal, tables: compared, seconds };
  } finally {
    // Nothing of the replay stays: the schema goes with the transaction.
    await tx.query('ROLLBACK').catch(() => (broken = true));
    tx.release(broken);
  }
}
