import { Database, SqlClient } from './database';
import { Checkpoint, START, compareCheckpoints } from './event-store';
import { GENESIS_HASH, SealHasher, chainHash, contentDigest, decodePositions } from './hashing';
import { SEAL_COLUMNS, Seal, SealRow, toSeal } from './sealer';

export type ProblemKind =
  | 'event_altered' // the row's content no longer matches its hash
  | 'chain_broken' // prev_hash does not link to the stream's previous event (row inserted, or hashes rewritten)
  | 'events_missing' // a gap in a stream's versions: rows deleted in the middle
  | 'sealed_event_missing' // a sealed position is gone: a deleted row, stream tail or whole stream
  | 'unsealed_event_in_sealed_range' // a row appeared inside a sealed range
  | 'seal_mismatch' // a sealed range no longer hashes to its seal
  | 'seal_chain_broken'; // a seal does not link to its predecessor

export interface VerificationProblem {
  kind: ProblemKind;
  message: string;
  /** The global position where the problem is (for a gap in a stream: the event after it). */
  position?: number;
  streamId?: string;
  streamVersion?: number;
  sealSeq?: number;
}

export interface VerificationReport {
  ok: boolean;
  eventsChecked: number;
  streamsChecked: number;
  sealsChecked: number;
  /** Events committed after the last seal: covered by their stream chains only. */
  unsealedEvents: number;
  firstBadPosition?: number;
  firstProblem?: VerificationProblem;
  problems: VerificationProblem[];
  durationMs: number;
}

interface VerifyRow {
  global_position: string;
  transaction_id: string;
  stream_id: string;
  stream_type: string;
  stream_version: string;
  event_id: string;
  event_type: string;
  schema_version: string;
  micros: string;
  data_text: string;
  metadata_text: string;
  prev_hash: Buffer;
  hash: Buffer;
}

/**
 * Checks a service's whole log in one consistent snapshot: each event's hash and its link in its
 * stream's chain, then every seal over the global log, naming exact positions where it can.
 * `maxProblems` bounds the list kept, not the scan.
 */
export async function verifyEventLog(
  db: Database,
  options: { batchSize?: number; maxProblems?: number } = {},
): Promise<VerificationReport> {
  const started = Date.now();
  const batchSize = options.batchSize ?? 5000;
  const maxProblems = options.maxProblems ?? 100;
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const problems: VerificationProblem[] = [];
    const report = (problem: VerificationProblem) => {
      if (problems.length < maxProblems) problems.push(problem);
    };
    const heads = new Map<string, { version: number; hash: Buffer }>();
    const seals = (await tx.query<SealRow>(`SELECT ${SEAL_COLUMNS} FROM es_seals ORDER BY seq`)).rows.map(toSeal);
    const sealWalker = new SealWalker(seals, report);

    let eventsChecked = 0;
    let after: Checkpoint = START;
    for (let rows = await readBatch(tx, after, batchSize); rows.length > 0; rows = await readBatch(tx, after, batchSize)) {
      for (const row of rows) {
        const position = Number(row.global_position);
        checkEvent(row, position, heads.get(row.stream_id) ?? { version: 0, hash: GENESIS_HASH }, report);
        // Continue from what is stored, so one bad row is reported once, not once per successor.
        heads.set(row.stream_id, { version: Number(row.stream_version), hash: row.hash });
        sealWalker.add({ transactionId: row.transaction_id, position }, row.hash);
        eventsChecked += 1;
      }
      const last = rows[rows.length - 1];
      after = { transactionId: last.transaction_id, position: Number(last.global_position) };
    }
    sealWalker.finish();

    const firstProblem = [...problems].sort(
      (a, b) => (a.position ?? Number.MAX_SAFE_INTEGER) - (b.position ?? Number.MAX_SAFE_INTEGER),
    )[0];
    return {
      ok: problems.length === 0,
      eventsChecked,
      streamsChecked: heads.size,
      sealsChecked: seals.length,
      unsealedEvents: sealWalker.unsealed,
      firstBadPosition: firstProblem?.position,
      firstProblem,
      problems,
      durationMs: Date.now() - started,
    };
  });
}

function checkEvent(
  row: VerifyRow,
  position: number,
  previous: { version: number; hash: Buffer },
  report: (problem: VerificationProblem) => void,
): void {
  const version = Number(row.stream_version);
  const where = { position, streamId: row.stream_id, streamVersion: version };
  if (version > previous.version + 1) {
    report({
      kind: 'events_missing',
      ...where,
      streamVersion: previous.version + 1,
      message: `Stream ${row.stream_id}: versions ${previous.version + 1}–${version - 1} are missing before position ${position}`,
    });
  } else if (version <= previous.version) {
    report({ kind: 'chain_broken', ...where, message: `Stream ${row.stream_id}: version ${version} appears again at position ${position}` });
  } else if (!row.prev_hash.equals(previous.hash)) {
    report({
      kind: 'chain_broken',
      ...where,
      message: `Position ${position} (stream ${row.stream_id} version ${version}) does not link to version ${previous.version}`,
    });
  }
  const digest = contentDigest({
    streamId: row.stream_id,
    streamType: row.stream_type,
    eventId: row.event_id,
    eventType: row.event_type,
    schemaVersion: row.schema_version,
    recordedAtMicros: row.micros,
    dataText: row.data_text,
    metadataText: row.metadata_text,
  });
  if (!chainHash(row.prev_hash, version, digest).equals(row.hash)) {
    report({
      kind: 'event_altered',
      ...where,
      message: `Position ${position} (stream ${row.stream_id} version ${version}) was altered: its content does not match its hash`,
    });
  }
}

async function readBatch(tx: SqlClient, after: Checkpoint, limit: number): Promise<VerifyRow[]> {
  const { rows } = await tx.query<VerifyRow>(
    `SELECT global_position, transaction_id::text AS transaction_id, stream_id, stream_type,
            stream_version::text AS stream_version, event_id::text AS event_id, event_type,
            schema_version::text AS schema_version,
            ((extract(epoch FROM recorded_at) * 1000000)::bigint)::text AS micros,
            data::text AS data_text, metadata::text AS metadata_text, prev_hash, hash
       FROM es_events
      WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
      ORDER BY es_events.transaction_id, es_events.global_position
      LIMIT $3`,
    [after.transactionId, after.position, limit],
  );
  return rows;
}

/** Re-hashes each sealed range as the scan passes through it, in the same commit order. */
class SealWalker {
  private index = 0;
  private hasher = new SealHasher(GENESIS_HASH);
  private seen: number[] = [];
  unsealed = 0;

  constructor(
    private readonly seals: Seal[],
    private readonly report: (problem: VerificationProblem) => void,
  ) {
    this.open();
  }

  add(at: Checkpoint, hash: Buffer): void {
    while (this.index < this.seals.length && compareCheckpoints(at, this.seals[this.index].to) > 0) this.close();
    if (this.index >= this.seals.length) {
      this.unsealed += 1;
      return;
    }
    this.seen.push(at.position);
    this.hasher.add(at.position, hash);
  }

  finish(): void {
    while (this.index < this.seals.length) this.close();
  }

  private open(): void {
    const seal = this.seals[this.index];
    if (!seal) return;
    const previous = this.seals[this.index - 1];
    if (!seal.prevHash.equals(previous ? previous.hash : GENESIS_HASH) || seal.seq !== (previous?.seq ?? 0) + 1) {
      this.report({
        kind: 'seal_chain_broken',
        position: seal.firstPosition,
        sealSeq: seal.seq,
        message: `Seal ${seal.seq} does not link to seal ${previous?.seq ?? 0}`,
      });
    }
    this.hasher = new SealHasher(seal.prevHash);
    this.seen = [];
  }

  private close(): void {
    const seal = this.seals[this.index];
    if (this.hasher.count !== seal.eventCount || !this.hasher.digest().equals(seal.hash)) this.explain(seal);
    this.index += 1;
    this.open();
  }

  /** Names the positions that differ from what the seal recorded. */
  private explain(seal: Seal): void {
    const sealed = new Set(decodePositions(seal.positions));
    const present = new Set(this.seen);
    let named = false;
    for (const position of sealed) {
      if (present.has(position)) continue;
      named = true;
      this.report({
        kind: 'sealed_event_missing',
        position,
        sealSeq: seal.seq,
        message: `Position ${position}, sealed in seal ${seal.seq}, is missing (deleted)`,
      });
    }
    for (const position of present) {
      if (sealed.has(position)) continue;
      named = true;
      this.report({
        kind: 'unsealed_event_in_sealed_range',
        position,
        sealSeq: seal.seq,
        message: `Position ${position} lies inside seal ${seal.seq} but was not sealed there (inserted)`,
      });
    }
    if (!named) {
      this.report({
        kind: 'seal_mismatch',
        position: seal.firstPosition,
        sealSeq: seal.seq,
        message: `Seal ${seal.seq} (positions ${seal.positions}): the sealed events' hashes were rewritten`,
      });
    }
  }
}
