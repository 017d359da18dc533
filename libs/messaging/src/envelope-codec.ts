import { EventEnvelope, HEADERS } from '@thihanh/contracts';
import { IncomingMessage, OutgoingMessage } from './message-bus';

/** An event as a Kafka message: keyed by stream id (order per stream), the envelope as JSON. */
export function toMessage(envelope: EventEnvelope, source: string): OutgoingMessage {
  return {
    key: envelope.streamId,
    value: JSON.stringify({ ...envelope, source }),
    headers: {
      [HEADERS.eventId]: envelope.eventId,
      [HEADERS.eventType]: envelope.type,
      [HEADERS.schemaVersion]: String(envelope.schemaVersion),
      [HEADERS.correlationId]: envelope.metadata.correlationId,
      [HEADERS.causationId]: envelope.metadata.causationId,
      [HEADERS.streamId]: envelope.streamId,
      [HEADERS.streamVersion]: String(envelope.streamVersion),
      [HEADERS.source]: source,
    },
  };
}

export class UndecodableMessageError extends Error {
  constructor(reason: string) {
    super(`Undecodable message: ${reason}`);
    this.name = 'UndecodableMessageError';
  }
}

export function fromMessage(message: IncomingMessage): EventEnvelope {
  let envelope: EventEnvelope;
  try {
    envelope = JSON.parse(message.value) as EventEnvelope;
  } catch (error) {
    throw new UndecodableMessageError((error as Error).message);
  }
  if (!envelope || typeof envelope.eventId !== 'string' || typeof envelope.type !== 'string' || !envelope.metadata) {
    throw new UndecodableMessageError('not an event envelope');
  }
  return envelope;
}
