import { Database } from './database';
import { Checkpoint, START } from './event-store';
import { GENESIS_HASH, SealHasher, encodePositions } from './hashing';

export interface Seal {
  seq: number;
  after: Checkpoint;
  to: Checkpoint;
  eventCount: number;
  firstPosition: number;
  /** The sealed positions as ranges, e.g. "1-500,502-900". */
  positions: string;
  prevHash: Buffer;
  hash: Buffer;
  sealedAt: Date;
}

// One sealer at a time per database; a second one simply finds the lock taken and returns.
const SEAL_LOCK = 0x7468_5365; // "thSe"

/**
 * Seals the next range of the global log, in commit-safe order, chaining each seal to the one before.
 * Per-stream chains catch edits and mid-stream deletions; seals also catch a deleted stream tail or a
 * whole deleted stream, which leave no trace in any remaining chain. Run it often (services seal
 * every few seconds): a tail deleted before its seal is the one thing no check can see. Returns the seal, or null if
 * there was nothing new (or another sealer holds the lock).
 */
export async function sealNext(db: Database, maxEvents = 10_000): Promise<Seal | null> {
  return db.transaction(async (tx) => {
    const { rows: lock } = await tx.query<{ ok: boolean }>(`SELECT pg_try_advisory_xact_lock($1) AS ok`, [SEAL_LOCK]);
    if (!lock[0].ok) return null;
    const { rows: last } = await tx.query<SealRow>(`SELECT ${SEAL_COLUMNS} FROM es_seals ORDER BY seq DESC LIMIT 1`);
    const previous = last.length ? toSeal(last[0]) : null;
    const after = previous?.to ?? START;
    const { rows } = await tx.query<{ global_position: string; transaction_id: string; hash: Buffer }>(
      `SELECT global_position, transaction_id::text AS transaction_id, hash FROM es_events
        WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
          AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY es_events.transaction_id, es_events.global_position
        LIMIT $3`,
      [after.transactionId, after.position, maxEvents],
    );
    if (rows.length === 0) return null;
    const prevHash = previous?.hash ?? GENESIS_HASH;
    const hasher = new SealHasher(prevHash);
    for (const row of rows) hasher.add(row.global_position, row.hash);
    const lastRow = rows[rows.length - 1];
    const { rows: inserted } = await tx.query<SealRow>(
      `INSERT INTO es_seals (seq, after_transaction_id, after_position, to_transaction_id, to_position,
                             event_count, first_position, positions, prev_hash, hash)
       VALUES ($1, $2::xid8, $3, $4::xid8, $5, $6, $7, $8, $9, $10)
       RETURNING ${SEAL_COLUMNS}`,
      [
        (previous?.seq ?? 0) + 1,
        after.transactionId,
        after.position,
        lastRow.transaction_id,
        lastRow.global_position,
        rows.length,
        rows[0].global_position,
        encodePositions(rows.map((r) => Number(r.global_position))),
        prevHash,
        hasher.digest(),
      ],
    );
    return toSeal(inserted[0]);
  });
}

/**
 * Seals everything committed before the call, in ranges of `maxEvents`. The commit-safe read cannot
 * pass a transaction still running anywhere in the cluster (`pg_snapshot_xmin` is cluster-wide), so
 * it waits, up to `timeoutMs`, for the transactions running at the call to end, then seals. Sealing
 * only after the wait keeps the ranges whole (full ranges of `maxEvents`, the rest in the last one),
 * whatever else the cluster is doing; sealing while waiting cut them wherever the horizon stood.
 */
export async function sealAll(db: Database, maxEvents = 10_000, timeoutMs = 30_000): Promise<number> {
  const { rows } = await db.query<{ xmax: string }>(`SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xmax`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows: now } = await db.query<{ done: boolean }>(`SELECT pg_snapshot_xmin(pg_current_snapshot()) >= $1::xid8 AS done`, [rows[0].xmax]);
    if (now[0].done) {
      let seals = 0;
      while (await sealNext(db, maxEvents)) seals += 1;
      return seals;
    }
    if (Date.now() > deadline) throw new Error(`sealAll: transactions running before the call did not end within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function listSeals(db: Database): Promise<Seal[]> {
  const { rows } = await db.query<SealRow>(`SELECT ${SEAL_COLUMNS} FROM es_seals ORDER BY seq`);
  return rows.map(toSeal);
}

export const SEAL_COLUMNS = `seq, after_transaction_id::text AS after_transaction_id, after_position,
  to_transaction_id::text AS to_transaction_id, to_position, event_count, first_position, positions, prev_hash, hash, sealed_at`;

export interface SealRow {
  seq: string;
  after_transaction_id: string;
  after_position: string;
  to_transaction_id: string;
  to_position: string;
  event_count: number;
  first_position: string;
  positions: string;
  prev_hash: Buffer;
  hash: Buffer;
  sealed_at: Date;
}

export function toSeal(row: SealRow): Seal {
  return {
    seq: Number(row.seq),
    after: { transactionId: row.after_transaction_id, position: Number(row.after_position) },
    to: { transactionId: row.to_transaction_id, position: Number(row.to_position) },
    eventCount: row.event_count,
    firstPosition: Number(row.first_position),
    positions: row.positions,
    prevHash: row.prev_hash,
    hash: row.hash,
    sealedAt: row.sealed_at,
  };
}
