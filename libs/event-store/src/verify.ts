import { Database, SqlClient } from './database';
import { Checkpoint, START, compareCheckpoints } from './event-store';
import { GENESIS_HASH, SealHasher, decodePositions } from './hashing';
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
  stream_version: string;
  prev_hash: Buffer;
  hash: Buffer;
}

/**
 * Whether each row's content still matches its hash, computed by PostgreSQL: the same bytes as
 * hashing.ts's contentDigest and chainHash, from the same columns the verifier used to fetch and hash
 * in Node (`data::text` is the stored json text). Only the rows that fail come back, so the scan can
 * run in parallel workers and nothing of `data` crosses the wire. Each field is `byteLength:value,`
 * with the length in UTF-8 bytes: octet_length where the database is UTF-8 (a fifth of the scan's
 * time went to converting only to count), else of the text converted.
 */
function alteredRowsSql(serverEncoding: string): string {
  const length = serverEncoding === 'UTF8' ? (text: string) => `octet_length(${text})` : (text: string) => `octet_length(convert_to(${text}, 'UTF8'))`;
  const field = (text: string) => `${length(text)}, ':', ${text}, ','`;
  return `
  SELECT global_position FROM es_events
   WHERE sha256(prev_hash || int8send(stream_version) || sha256(convert_to(concat(
           ${field('stream_id')}, ${field('stream_type')}, ${field('event_id::text')}, ${field('event_type')},
           ${field('schema_version::text')}, ${field('((extract(epoch FROM recorded_at) * 1000000)::bigint)::text')},
           ${field('data::text')}, ${field('metadata::text')}), 'UTF8'))) <> hash`;
}

/**
 * Checks a service's whole log in one consistent snapshot: each event's hash and its link in its
 * stream's chain, then every seal over the global log, naming exact positions where it can.
 * `maxProblems` bounds the list kept, not the scan.
 *
 * PostgreSQL does the per-event work (docs/adr/0014-single-event-append-and-verification-in-sql.md):
 * one scan re-hashes every event's content; when nothing was altered, a few set-based queries prove
 * the chains and seals intact. Only if that proof fails does the log get walked event by event in
 * commit order, as it always was, to name each problem exactly where it is.
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
    const seals = (await tx.query<SealRow>(`SELECT ${SEAL_COLUMNS} FROM es_seals ORDER BY seq`)).rows.map(toSeal);

    // Planner settings for this transaction only: the content check is one scan with a costly filter
    // (two SHA-256 per row) that the planner does not know is costly; let it use parallel workers.
    await tx.query(`SET LOCAL parallel_setup_cost = 0`);
    await tx.query(`SET LOCAL parallel_tuple_cost = 0`);
    const { rows: encoding } = await tx.query<{ name: string }>(`SELECT current_setting('server_encoding') AS name`);
    const altered = new Set(
      (await tx.query<{ global_position: string }>(alteredRowsSql(encoding[0].name))).rows.map((r) => Number(r.global_position)),
    );

    const counts = (altered.size === 0 && (await proveIntact(tx, seals))) || (await walk(tx, seals, altered, batchSize, report));

    const firstProblem = [...problems].sort(
      (a, b) => (a.position ?? Number.MAX_SAFE_INTEGER) - (b.position ?? Number.MAX_SAFE_INTEGER),
    )[0];
    return {
      ok: problems.length === 0,
      ...counts,
      sealsChecked: seals.length,
      firstBadPosition: firstProblem?.position,
      firstProblem,
      problems,
      durationMs: Date.now() - started,
    };
  });
}

interface WalkCounts {
  eventsChecked: number;
  streamsChecked: number;
  unsealedEvents: number;
}

/**
 * Shows, without reading events into Node, that the walk would find nothing (content already checked):
 * - in every stream, by version: versions run 1, 2, 3…, each prev_hash is the previous version's hash,
 *   and commit order rises with the version, so the walk (commit order) meets them in that order;
 * - each seal re-hashes to its hash over the range the walk gives it (after the highest `to` of the
 *   seals before it, up to its own `to`), with its event count; the seals link to one another.
 * Returns the walk's counts, or null as soon as any of this does not hold.
 */
async function proveIntact(tx: SqlClient, seals: Seal[]): Promise<WalkCounts | null> {
  for (let i = 0; i < seals.length; i += 1) {
    const previous = seals[i - 1];
    if (!seals[i].prevHash.equals(previous ? previous.hash : GENESIS_HASH) || seals[i].seq !== (previous?.seq ?? 0) + 1) return null;
  }
  const { rows: streams } = await tx.query<{ events: string; streams: string; broken: string }>(
    `SELECT count(*) AS events, count(*) FILTER (WHERE prev_version IS NULL) AS streams,
            count(*) FILTER (WHERE stream_version <> coalesce(prev_version, 0) + 1
                                OR prev_hash <> coalesce(prev_stored_hash, $1::bytea)
                                OR (transaction_id, global_position) <= (prev_transaction_id, prev_position)) AS broken
       FROM (SELECT stream_version, prev_hash, transaction_id, global_position,
                    lag(stream_version) OVER w AS prev_version, lag(hash) OVER w AS prev_stored_hash,
                    lag(transaction_id) OVER w AS prev_transaction_id, lag(global_position) OVER w AS prev_position
               FROM es_events WINDOW w AS (PARTITION BY stream_id ORDER BY stream_version)) s`,
    [GENESIS_HASH],
  );
  if (Number(streams[0].broken) > 0) return null;

  let highest: Checkpoint = START;
  const ranges = seals.map((seal) => {
    const range = { after: highest, to: seal.to };
    if (compareCheckpoints(seal.to, highest) > 0) highest = seal.to;
    return range;
  });
  if (seals.length) {
    const { rows: sealed } = await tx.query<{ n: number; h: Buffer }>(
      `SELECT x.n, x.h
         FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[], $5::text[]) WITH ORDINALITY
              AS b(after_transaction_id, after_position, to_transaction_id, to_position, prev_hash, i)
        CROSS JOIN LATERAL (
          SELECT count(*)::int AS n,
                 sha256(decode(b.prev_hash, 'hex') || coalesce(string_agg(int8send(e.global_position) || e.hash, ''::bytea
                                                                           ORDER BY e.transaction_id, e.global_position), ''::bytea)) AS h
            FROM es_events e
           WHERE (e.transaction_id, e.global_position) > (b.after_transaction_id::xid8, b.after_position)
             AND (e.transaction_id, e.global_position) <= (b.to_transaction_id::xid8, b.to_position)) x
        ORDER BY b.i`,
      [
        ranges.map((r) => r.after.transactionId),
        ranges.map((r) => r.after.position),
        ranges.map((r) => r.to.transactionId),
        ranges.map((r) => r.to.position),
        seals.map((seal) => seal.prevHash.toString('hex')),
      ],
    );
    if (sealed.some((row, i) => row.n !== seals[i].eventCount || !row.h.equals(seals[i].hash))) return null;
  }
  const { rows: unsealed } = await tx.query<{ n: string }>(
    `SELECT count(*) AS n FROM es_events WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)`,
    [highest.transactionId, highest.position],
  );
  return { eventsChecked: Number(streams[0].events), streamsChecked: Number(streams[0].streams), unsealedEvents: Number(unsealed[0].n) };
}

/**
 * The exact check: every event in commit order against its stream's head, and the seals re-hashed as
 * the walk passes through them. Only `data`-free columns are read (content was checked in SQL); the
 * next batch is read while this one is checked.
 */
async function walk(
  tx: SqlClient,
  seals: Seal[],
  altered: Set<number>,
  batchSize: number,
  report: (problem: VerificationProblem) => void,
): Promise<WalkCounts> {
  const heads = new Map<string, { version: number; hash: Buffer }>();
  const sealWalker = new SealWalker(seals, report);
  let eventsChecked = 0;
  let next = readBatch(tx, START, batchSize);
  for (let rows = await next; rows.length > 0; rows = await next) {
    const last = rows[rows.length - 1];
    next = readBatch(tx, { transactionId: last.transaction_id, position: Number(last.global_position) }, batchSize);
    for (const row of rows) {
      const position = Number(row.global_position);
      checkEvent(row, position, heads.get(row.stream_id) ?? { version: 0, hash: GENESIS_HASH }, altered.has(position), report);
      // Continue from what is stored, so one bad row is reported once, not once per successor.
      heads.set(row.stream_id, { version: Number(row.stream_version), hash: row.hash });
      sealWalker.add({ transactionId: row.transaction_id, position }, row.hash);
      eventsChecked += 1;
    }
  }
  sealWalker.finish();
  return { eventsChecked, streamsChecked: heads.size, unsealedEvents: sealWalker.unsealed };
}

function checkEvent(
  row: VerifyRow,
  position: number,
  previous: { version: number; hash: Buffer },
  altered: boolean,
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
  if (altered) {
    report({
      kind: 'event_altered',
      ...where,
      message: `Position ${position} (stream ${row.stream_id} version ${version}) was altered: its content does not match its hash`,
    });
  }
}

function readBatch(tx: SqlClient, after: Checkpoint, limit: number): Promise<VerifyRow[]> {
  const read = tx.query<VerifyRow>(
    `SELECT global_position, transaction_id::text AS transaction_id, stream_id, stream_version, prev_hash, hash
       FROM es_events
      WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
      ORDER BY es_events.transaction_id, es_events.global_position
      LIMIT $3`,
    [after.transactionId, after.position, limit],
  ).then((result) => result.rows);
  read.catch(() => undefined); // read ahead: if the walk stops first, its failure is nobody's to report
  return read;
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
