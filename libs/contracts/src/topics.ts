/** Service names: they name topics, consumer groups and databases. */
export const SERVICES = ['plan-registry', 'task-assignment', 'decree-consultation', 'reporting'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** One topic per producing service, versioned, keyed by stream id. */
export function eventsTopic(service: string): string {
  return `thihanh.${service}.events.v1`;
}

/** One dead-letter topic per consumer group. */
export function deadLetterTopic(consumerGroup: string): string {
  return `thihanh.${consumerGroup}.dlq.v1`;
}

export const TOPICS = {
  planRegistryEvents: eventsTopic('plan-registry'),
  taskAssignmentEvents: eventsTopic('task-assignment'),
  decreeConsultationEvents: eventsTopic('decree-consultation'),
  reportingEvents: eventsTopic('reporting'),
} as const;

/** Kafka header names carried by every event message. */
export const HEADERS = {
  eventId: 'thihanh-event-id',
  eventType: 'thihanh-event-type',
  schemaVersion: 'thihanh-schema-version',
  correlationId: 'thihanh-correlation-id',
  causationId: 'thihanh-causation-id',
  streamId: 'thihanh-stream-id',
  streamVersion: 'thihanh-stream-version',
  source: 'thihanh-source',
  // Dead-letter headers
  error: 'thihanh-error',
  errorName: 'thihanh-error-name',
  attempts: 'thihanh-attempts',
  originalTopic: 'thihanh-original-topic',
  originalPartition: 'thihanh-original-partition',
  originalOffset: 'thihanh-original-offset',
  consumerGroup: 'thihanh-consumer-group',
  failedAt: 'thihanh-failed-at',
} as const;
