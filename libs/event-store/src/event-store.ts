import { EventEnvelope, EventMetadata } from '@thihanh/contracts';
import { Clock, ConcurrencyError, IdSource, systemClock, uuidV7Source } from '@thihanh/domain';
import { Database, SqlClient } from './database';
import { DuplicateEventError, InvalidEventError, TransactionOrderError } from './event-store.errors';
import { EventTypeRegistry } from './event-type-registry';
import { contentDigest } from './hashing';

/** `any` skips the check; `no_stream` (= 0) requires a new stream; a number is the version the caller saw. */
export type ExpectedVersion = number | 'any' | 'no_stream';

export interface NewEvent {
  type: string;
  data: unknown;
  /** Defaults to the registry's current version for the type, else 1. */
  schemaVersion?: number;
  /** Defaults to a new UUIDv7; give one to make a retried append detectably the same. */
  eventId?: string;
}

export interface AppendRequest {
  streamId: string;
  streamType: string;
  expectedVersion: ExpectedVersion;
  events: NewEvent[];
  metadata: EventMetadata;
}

export interface AppendResult {
  streamId: string;
  /** Version of the stream after the append. */
  nextVersion: number;
  firstPosition: number;
  lastPosition: number;
  transactionId: string;
  eventIds: string[];
}

/** Where a reader of the global log stands: the last (transaction id, position) it has seen. */
export interface Checkpoint {
  transactionId: string;
  position: number;
}

export const START: Checkpoint = Object.freeze({ transactionId: '0', position: 0 });

/** A batch of the global log as read, parsed on demand (see PostgresEventStore.readAllBatch). */
export interface EventBatch {
  size: number;
  /** The checkpoint of the batch's last event; undefined if the batch is empty. */
  last?: Checkpoint;
  envelopes(): EventEnvelope[];
}

export function compareCheckpoints(a: Checkpoint, b: Checkpoint): number {
  const ta = BigInt(a.transactionId);
  const tb = BigInt(b.transactionId);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.position === b.position ? 0 : a.position < b.position ? -1 : 1;
}

export function checkpointOf(event: Pick<EventEnvelope, 'transactionId' | 'globalPosition'>): Checkpoint {
  return { transactionId: event.transactionId, position: event.globalPosition };
}

const STREAM_ID = /^[^\s\p{Cc}]{1,300}$/u;
const EVENT_TYPE = /^[A-Z][A-Za-z0-9]{1,120}$/;

/**
 * Each event row as one JSON array text, built by PostgreSQL: the driver then decodes one field per
 * row and JSON.parse runs once, instead of 13 decoded fields, two JSON.parse calls (`data`,
 * `metadata`) and a date parse per row — most of a catch-up read's time went there. `data` and
 * `metadata` are `json`, so they are embedded as their stored text: parsing them here gives what
 * parsing the columns gave. recorded_at travels as epoch microseconds (exact in a double).
 */
const EVENT_JSON = `json_build_array(e.global_position, e.transaction_id::text, e.stream_id, e.stream_type,
  e.stream_version, e.event_id, e.event_type, e.schema_version, e.data, e.metadata,
  (extract(epoch FROM e.recorded_at) * 1000000)::bigint, encode(e.prev_hash, 'hex'), encode(e.hash, 'hex'))::text AS event`;

type EventTuple = [
  globalPosition: number,
  transactionId: string,
  streamId: string,
  streamType: string,
  streamVersion: number,
  eventId: string,
  type: string,
  schemaVersion: number,
  data: unknown,
  metadata: EventMetadata,
  recordedAtMicros: number,
  prevHash: string,
  hash: string,
];

export interface EventStoreOptions {
  clock?: Clock;
  ids?: IdSource;
  registry?: EventTypeRegistry;
  /** Name of the service that owns this store; set as `source` on envelopes it reads. */
  source?: string;
}

/**
 * PostgreSQL event store: streams with expected versions, a hash chain per stream, and a global log
 * read in commit-safe order. One database per service; see docs/adr/0003-event-store.md.
 */
export class PostgresEventStore {
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly registry: EventTypeRegistry;
  readonly source?: string;

  constructor(
    readonly db: Database,
    options: EventStoreOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.ids = options.ids ?? uuidV7Source;
    this.registry = options.registry ?? new EventTypeRegistry();
    this.source = options.source;
  }

  /**
   * Appends events to one stream in one statement (one round trip): es_append_one for a single event,
   * es_append for several (same checks, same hashes). Inside `tx`, the append must be
   * the transaction's first write, or it may fail with a retryable TransactionOrderError.
   */
  async append(request: AppendRequest, tx?: SqlClient): Promise<AppendResult> {
    const { streamId, streamType, events } = request;
    if (!STREAM_ID.test(streamId)) throw new InvalidEventError(`Invalid stream id: ${JSON.stringify(streamId)}`);
    if (!STREAM_ID.test(streamType)) throw new InvalidEventError(`Invalid stream type: ${JSON.stringify(streamType)}`);
    if (events.length === 0) throw new InvalidEventError('Nothing to append', { streamId });
    const expected = toExpected(request.expectedVersion);
    const { eventIds, types, versions, data, metas, times, digests } = this.rowsOf([request]);
    const client = tx ?? this.db;
    let rows: { global_position: string; stream_version: string; transaction_id: string }[];
    try {
      ({ rows } =
        events.length === 1
          ? // Most appends carry one event: scalar parameters, no arrays to build and parse.
            await client.query(
              `SELECT * FROM es_append_one($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
              [streamId, streamType, expected, eventIds[0], types[0], versions[0], data[0], metas[0], times[0], digests[0]],
              { prepare: 'es_append_one' }, // parsing and planning the call per append cost more than the call
            )
          : await client.query(
              `SELECT global_position, stream_version, transaction_id FROM es_append($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
              [streamId, streamType, expected, eventIds, types, versions, data, metas, times, digests],
              { prepare: 'es_append' },
            ));
    } catch (error) {
      throw translate(error, request);
    }
    return {
      streamId,
      nextVersion: Number(rows[rows.length - 1].stream_version),
      firstPosition: Number(rows[0].global_position),
      lastPosition: Number(rows[rows.length - 1].global_position),
      transactionId: rows[0].transaction_id,
      eventIds,
    };
  }

  /**
   * Opens many new streams, one event each, in one statement (es_open_streams): what a plan's fan-out
   * needs, 2,000 cases at once. All or nothing: ConcurrencyError if any stream exists already. Same
   * rows and hashes as appending each with `expectedVersion: 'no_stream'`; inside `tx`, as `append`.
   */
  async openStreams(requests: Omit<AppendRequest, 'expectedVersion'>[], tx?: SqlClient): Promise<AppendResult[]> {
    if (requests.length === 0) return [];
    for (const { streamId, streamType, events } of requests) {
      if (!STREAM_ID.test(streamId)) throw new InvalidEventError(`Invalid stream id: ${JSON.stringify(streamId)}`);
      if (!STREAM_ID.test(streamType)) throw new InvalidEventError(`Invalid stream type: ${JSON.stringify(streamType)}`);
      if (events.length !== 1) throw new InvalidEventError('openStreams takes exactly one event per stream', { streamId, events: events.length });
    }
    const { eventIds, types, versions, data, metas, times, digests } = this.rowsOf(requests);
    let rows: { global_position: string; stream_id: string; transaction_id: string }[];
    try {
      ({ rows } = await (tx ?? this.db).query(
        `SELECT global_position, stream_id, transaction_id FROM es_open_streams($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [requests.map((r) => r.streamId), requests.map((r) => r.streamType), eventIds, types, versions, data, metas, times, digests],
        { prepare: 'es_open_streams' },
      ));
    } catch (error) {
      const hint = (error as { hint?: string }).hint;
      const culprit = requests.find((r) => r.streamId === hint) ?? requests[0];
      throw translate(error, { ...culprit, expectedVersion: 'no_stream' });
    }
    return rows.map((row, i) => ({
      streamId: row.stream_id,
      nextVersion: 1,
      firstPosition: Number(row.global_position),
      lastPosition: Number(row.global_position),
      transactionId: row.transaction_id,
      eventIds: [eventIds[i]],
    }));
  }

  /** The column values of the events of `requests`, in order, with each event's content digest (see hashing.ts). */
  private rowsOf(requests: Omit<AppendRequest, 'expectedVersion'>[]) {
    const now = this.clock.now();
    const recordedAt = now.toISOString();
    const recordedAtMicros = String(now.getTime() * 1000);
    const rows = { eventIds: [] as string[], types: [] as string[], versions: [] as number[], data: [] as string[], metas: [] as string[], times: [] as string[], digests: [] as Buffer[] };
    for (const { streamId, streamType, events, metadata } of requests) {
      const metadataText = JSON.stringify(metadata);
      for (const event of events) {
        if (!EVENT_TYPE.test(event.type)) throw new InvalidEventError(`Invalid event type: ${JSON.stringify(event.type)}`);
        const eventId = (event.eventId ?? this.ids.next()).toLowerCase();
        const schemaVersion = event.schemaVersion ?? this.registry.currentVersion(event.type);
        const dataText = JSON.stringify(event.data ?? null);
        rows.eventIds.push(eventId);
        rows.types.push(event.type);
        rows.versions.push(schemaVersion);
        rows.data.push(dataText);
        rows.metas.push(metadataText);
        rows.times.push(recordedAt);
        rows.digests.push(
          contentDigest({ streamId, streamType, eventId, eventType: event.type, schemaVersion: String(schemaVersion), recordedAtMicros, dataText, metadataText }),
        );
      }
    }
    return rows;
  }

  /** A stream's events after `afterVersion`, oldest first, upcast to their current schema. */
  async readStream(streamId: string, options: { afterVersion?: number; toVersion?: number; tx?: SqlClient } = {}) {
    const { rows } = await (options.tx ?? this.db).query<{ event: string }>(
      `SELECT ${EVENT_JSON} FROM es_events e
        WHERE stream_id = $1 AND stream_version > $2 AND stream_version <= $3
        ORDER BY stream_version`,
      [streamId, options.afterVersion ?? 0, options.toVersion ?? Number.MAX_SAFE_INTEGER],
    );
    return this.toEnvelopes(rows);
  }

  /** Current version of a stream, 0 if it does not exist. */
  async streamVersion(streamId: string, tx?: SqlClient): Promise<number> {
    const { rows } = await (tx ?? this.db).query<{ version: string }>(
      `SELECT stream_version AS version FROM es_events WHERE stream_id = $1 ORDER BY stream_version DESC LIMIT 1`,
      [streamId],
    );
    return rows.length ? Number(rows[0].version) : 0;
  }

  /**
   * The global log after `after`, in commit-safe order: only transactions older than every one
   * still running are read, ordered by (transaction id, position). A reader that checkpoints the
   * last pair it saw can never skip an event committed later with a lower position.
   * ORDER BY names the table's columns: a bare `transaction_id` would sort by the text output column
   * of the same name ("100001" before "99999"), which skipped and repeated events whenever
   * transaction ids gained a digit.
   */
  async readAll(after: Checkpoint = START, limit = 1000, tx?: SqlClient): Promise<EventEnvelope[]> {
    return (await this.readAllBatch(after, limit, tx)).envelopes();
  }

  /**
   * readAll in two steps, for readers that pipeline: once the rows are in, `size` and `last` (where
   * the batch ends) are known, so the next read can start while `envelopes()` parses this one.
   */
  async readAllBatch(after: Checkpoint = START, limit = 1000, tx?: SqlClient): Promise<EventBatch> {
    const { rows } = await (tx ?? this.db).query<{ event: string }>(
      `SELECT ${EVENT_JSON} FROM es_events e
        WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
          AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY e.transaction_id, e.global_position
        LIMIT $3`,
      [after.transactionId, after.position, limit],
    );
    const tail = rows.length ? (JSON.parse(rows[rows.length - 1].event) as EventTuple) : undefined;
    return {
      size: rows.length,
      last: tail && { transactionId: tail[1], position: tail[0] },
      envelopes: () => this.toEnvelopes(rows),
    };
  }

  /** Number of events in the log (for audits and tests). */
  async count(tx?: SqlClient): Promise<number> {
    const { rows } = await (tx ?? this.db).query<{ n: string }>(`SELECT count(*) AS n FROM es_events`);
    return Number(rows[0].n);
  }

  private toEnvelopes(rows: { event: string }[]): EventEnvelope[] {
    const envelopes = new Array<EventEnvelope>(rows.length);
    // The events of one append share their recorded-at: format it once per run of equal values.
    let lastMicros = NaN;
    let lastIso = '';
    for (let i = 0; i < rows.length; i += 1) {
      const t = JSON.parse(rows[i].event) as EventTuple;
      if (t[10] !== lastMicros) {
        lastMicros = t[10];
        // As the pg driver read timestamptz: whole milliseconds, the microseconds cut off.
        lastIso = new Date(Math.floor(lastMicros / 1000)).toISOString();
      }
      const envelope: EventEnvelope = {
        eventId: t[5],
        type: t[6],
        schemaVersion: t[7],
        streamId: t[2],
        streamType: t[3],
        streamVersion: t[4],
        globalPosition: t[0],
        transactionId: t[1],
        recordedAt: lastIso,
        data: t[8],
        metadata: t[9],
        prevHash: t[11],
        hash: t[12],
      };
      if (this.source) envelope.source = this.source;
      envelopes[i] = this.registry.upcast(envelope);
    }
    return envelopes;
  }
}

function toExpected(expected: ExpectedVersion): number {
  if (expected === 'any') return -1;
  if (expected === 'no_stream') return 0;
  if (!Number.isInteger(expected) || expected < 0) throw new InvalidEventError(`Invalid expected version: ${expected}`);
  return expected;
}

function translate(error: unknown, request: AppendRequest): unknown {
  const pgError = error as { code?: string; detail?: string; constraint?: string; message?: string };
  switch (pgError.code) {
    case 'TH409':
      return new ConcurrencyError(request.streamId, request.expectedVersion, Number(pgError.detail));
    case 'TH40R':
      return new TransactionOrderError(request.streamId);
    case '23505':
      return pgError.constraint === 'es_events_event_id_uq' ? new DuplicateEventError(request.streamId) : error;
    case '22P02':
    case '22P05':
    case '22023':
      return new InvalidEventError(pgError.message ?? 'Invalid event', { streamId: request.streamId });
    default:
      return error;
  }
}
