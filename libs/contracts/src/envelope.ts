/**
 * What travels between services: every stored event, as read from a store or from Kafka.
 * Plain data only (it must survive JSON); dates are ISO strings.
 */
export interface Actor {
  /** Agency acting (cơ quan), e.g. "son-la.cong-an-tinh". */
  agencyId: string;
  /** Agency client (the caller's system) that sent the command. */
  clientId: string;
  /** Person at the agency, when the client names one. */
  person?: string;
  roles?: string[];
}

export interface EventMetadata {
  actor: Actor;
  /** Follows one request across services. */
  correlationId: string;
  /** The event or command that caused this one. */
  causationId: string;
  [key: string]: unknown;
}

export interface EventEnvelope<TData = unknown> {
  eventId: string;
  type: string;
  schemaVersion: number;
  streamId: string;
  streamType: string;
  streamVersion: number;
  /** Position in the producing service's global log. */
  globalPosition: number;
  /** The PostgreSQL transaction that wrote it (xid8 as decimal text); with globalPosition, the commit order. */
  transactionId: string;
  recordedAt: string;
  data: TData;
  metadata: EventMetadata;
  /** The producing service, when the envelope crossed a service boundary. */
  source?: string;
  /**
   * The stream's hash chain at this event (hex SHA-256), as the producing store keeps it: whoever holds
   * a stream's events (an auditor's copy from Kafka, a bundle) can verify them without the database.
   */
  prevHash?: string;
  hash?: string;
}

/** The system actor for work the system does on its own (schedulers, relays). */
export const SYSTEM_ACTOR: Actor = { agencyId: 'system', clientId: 'system' };
