import { EventEnvelope } from '@thihanh/contracts';
import { Database } from '@thihanh/event-store';
import { applySourceEvent, SOURCE_READ_MODEL_TABLES } from './source-read-models';

export interface RebuildResult {
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

/**
 * Empties the read models built from other services' events and replays every kept event into them,
 * in arrival order, in one transaction: readers see the old tables until it commits, and the
 * consumers (which append to `rp_source_events`) wait for it instead of racing it.
 */
export async function rebuildSourceReadModels(db: Database, options: { batchSize?: number; onProgress?: (done: number, total: number) => void } = {}): Promise<RebuildResult> {
  const started = process.hrtime.bigint();
  const batchSize = options.batchSize ?? 5000;
  const events = await db.transaction(async (tx) => {
    await tx.query(`LOCK TABLE rp_source_events IN EXCLUSIVE MODE`);
    await tx.query(`TRUNCATE ${SOURCE_READ_MODEL_TABLES.join(', ')}`);
    const { rows: count } = await tx.query<{ n: string }>(`SELECT count(*) AS n FROM rp_source_events`);
    const total = Number(count[0].n);
    let after = 0;
    let done = 0;
    for (;;) {
      const { rows } = await tx.query<{ seq: string; envelope: EventEnvelope }>(
        `SELECT seq, envelope FROM rp_source_events WHERE seq > $1 ORDER BY seq LIMIT $2`,
        [after, batchSize],
      );
      if (!rows.length) return done;
      for (const row of rows) await applySourceEvent(row.envelope, tx);
      after = Number(rows[rows.length - 1].seq);
      done += rows.length;
      options.onProgress?.(done, total);
    }
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { events, seconds, eventsPerSecond: seconds > 0 ? Math.round(events / seconds) : events };
}
