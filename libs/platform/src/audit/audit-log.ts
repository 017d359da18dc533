import { Actor } from '@thihanh/contracts';
import { UUID_PATTERN } from '@thihanh/domain';
import { SqlClient } from '@thihanh/event-store';

export interface LogFilter {
  /** ISO instants: recorded at or after `from`, before `to`. */
  from?: string;
  to?: string;
  /** The acting agency (metadata.actor.agencyId). */
  agencyId?: string;
  types?: string[];
  correlationId?: string;
  streamId?: string;
  /** Paging: events after this global position. */
  after?: number;
  limit: number;
}

export interface AuditEvent {
  position: number;
  streamId: string;
  version: number;
  eventId: string;
  type: string;
  recordedAt: string;
  actor: Actor;
  correlationId: string;
  causationId: string;
  data: unknown;
}

interface Row {
  global_position: string;
  stream_id: string;
  stream_version: string;
  event_id: string;
  event_type: string;
  recorded_at: Date;
  data: unknown;
  metadata: { actor: Actor; correlationId: string; causationId: string };
}

const toEvent = (r: Row): AuditEvent => ({
  position: Number(r.global_position), streamId: r.stream_id, version: Number(r.stream_version), eventId: r.event_id, type: r.event_type,
  recordedAt: r.recorded_at.toISOString(), actor: r.metadata.actor, correlationId: r.metadata.correlationId, causationId: r.metadata.causationId, data: r.data,
});

const COLUMNS = `global_position, stream_id, stream_version, event_id::text AS event_id, event_type, recorded_at, data, metadata`;

/**
 * The service's log as an auditor filters it: by time, acting agency, event type, correlation (one
 * request's effects) or stream; in position order, paged by position. Reads scan the log: they are
 * for inspections, not for hot paths.
 */
export async function readLog(db: SqlClient, filter: LogFilter): Promise<AuditEvent[]> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM es_events
      WHERE global_position > $1 AND ($2::timestamptz IS NULL OR recorded_at >= $2) AND ($3::timestamptz IS NULL OR recorded_at < $3)
        AND ($4::text IS NULL OR metadata->'actor'->>'agencyId' = $4) AND ($5::text[] IS NULL OR event_type = ANY ($5))
        AND ($6::text IS NULL OR metadata->>'correlationId' = $6) AND ($7::text IS NULL OR stream_id = $7)
      ORDER BY global_position LIMIT $8`,
    [filter.after ?? 0, filter.from ?? null, filter.to ?? null, filter.agencyId ?? null, filter.types?.length ? filter.types : null,
      filter.correlationId ?? null, filter.streamId ?? null, filter.limit],
  );
  return rows.map(toEvent);
}

/**
 * Why an event happened, as far as this service's log knows: the event, the event that caused it,
 * and so on. `continuesAt` is the first cause that is not an event here — another service's event (ask
 * that service) or the client's request id.
 */
export async function causationChain(db: SqlClient, eventId: string, maxDepth = 50): Promise<{ chain: AuditEvent[]; continuesAt: string | null }> {
  const chain: AuditEvent[] = [];
  let next: string | null = eventId;
  // Compared as uuid, so the unique index answers. Event ids are lower-case uuids; any other cause
  // (a client's request id) is no event here.
  while (next && UUID_PATTERN.test(next) && next === next.toLowerCase() && chain.length < maxDepth) {
    const { rows }: { rows: Row[] } = await db.query<Row>(`SELECT ${COLUMNS} FROM es_events WHERE event_id = $1::uuid`, [next]);
    if (!rows.length) break;
    const event = toEvent(rows[0]);
    chain.push(event);
    next = event.causationId === event.eventId ? null : event.causationId;
  }
  return { chain, continuesAt: chain.length ? next : eventId };
}
