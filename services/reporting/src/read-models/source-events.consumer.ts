import { Injectable } from '@nestjs/common';
import { EventEnvelope } from '@thihanh/contracts';
import { SqlClient } from '@thihanh/event-store';
import { InboundEventHandler } from '@thihanh/platform';
import { applySourceEvent, SOURCE_EVENT_TYPES } from './source-read-models';

const USED: ReadonlySet<string> = new Set(SOURCE_EVENT_TYPES);

/**
 * Plans, cases and consultations as reporting sees them: each event it uses is kept, in arrival
 * order, in `rp_source_events` (what a rebuild replays) and applied to the read models, in the
 * inbox transaction.
 */
@Injectable()
export class SourceEventsConsumer implements InboundEventHandler {
  async handle(event: EventEnvelope, tx: SqlClient): Promise<boolean> {
    if (!USED.has(event.type)) return false;
    const { rows } = await tx.query(
      `INSERT INTO rp_source_events (event_id, source, envelope) VALUES ($1, $2, $3) ON CONFLICT (event_id) DO NOTHING RETURNING seq`,
      [event.eventId, event.source ?? 'unknown', JSON.stringify(event)],
    );
    if (!rows.length) return false;
    return applySourceEvent(event, tx);
  }
}
