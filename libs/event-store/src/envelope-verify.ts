import { EventEnvelope } from '@thihanh/contracts';
import { GENESIS_HASH, chainHash, contentDigest } from './hashing';

export interface EnvelopeProblem {
  kind: 'no_hash' | 'event_altered' | 'chain_broken' | 'events_missing';
  streamId: string;
  streamVersion: number;
  eventId: string;
  message: string;
}

export interface EnvelopeVerification {
  ok: boolean;
  eventsChecked: number;
  streamsChecked: number;
  problems: EnvelopeProblem[];
}

/** The digest an envelope's event had when it was written (data and metadata as JSON text, as the store wrote them). */
export function envelopeDigest(e: EventEnvelope): Buffer {
  return contentDigest({
    streamId: e.streamId,
    streamType: e.streamType,
    eventId: e.eventId,
    eventType: e.type,
    schemaVersion: String(e.schemaVersion),
    recordedAtMicros: String(BigInt(Date.parse(e.recordedAt)) * 1000n),
    dataText: JSON.stringify(e.data),
    metadataText: JSON.stringify(e.metadata),
  });
}

/**
 * Checks events held outside their database — an auditor's copy replayed from Kafka, a bundle — by
 * their streams' hash chains: every stream from version 1, each event's content against its hash,
 * each hash linked to the one before. Upcast events do not verify (their data is no longer what was
 * written): copies keep events as they travelled.
 */
export function verifyEnvelopes(envelopes: Iterable<EventEnvelope>): EnvelopeVerification {
  const streams = new Map<string, EventEnvelope[]>();
  let eventsChecked = 0;
  for (const e of envelopes) {
    const stream = streams.get(e.streamId);
    if (stream) stream.push(e);
    else streams.set(e.streamId, [e]);
    eventsChecked += 1;
  }
  const problems: EnvelopeProblem[] = [];
  for (const [streamId, events] of streams) {
    events.sort((a, b) => a.streamVersion - b.streamVersion);
    let prev: string | null = GENESIS_HASH.toString('hex');
    let expected = 1;
    for (const e of events) {
      const at = { streamId, streamVersion: e.streamVersion, eventId: e.eventId };
      const gap = e.streamVersion !== expected;
      if (gap) problems.push({ kind: 'events_missing', ...at, message: `${streamId}: versions ${expected}–${e.streamVersion - 1} are missing` });
      expected = e.streamVersion + 1;
      if (!e.hash || !e.prevHash) {
        problems.push({ kind: 'no_hash', ...at, message: `${streamId} v${e.streamVersion} carries no hash` });
        prev = null;
        continue;
      }
      if (!gap && prev !== null && e.prevHash !== prev) {
        problems.push({ kind: 'chain_broken', ...at, message: `${streamId} v${e.streamVersion} does not link to v${e.streamVersion - 1}` });
      }
      const hash = chainHash(Buffer.from(e.prevHash, 'hex'), e.streamVersion, envelopeDigest(e));
      if (hash.toString('hex') !== e.hash) problems.push({ kind: 'event_altered', ...at, message: `${streamId} v${e.streamVersion}: content does not match its hash` });
      prev = e.hash;
    }
  }
  return { ok: problems.length === 0, eventsChecked, streamsChecked: streams.size, problems };
}
