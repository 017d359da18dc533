/** Service names: they name topics, consumer groups and databases. */
export const SERVICES = ['plan-registry', 'task-assignment', 'decree-consultation', 'reporting'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** The default topic namespace; a deployment sharing a cluster with others sets its own (KAFKA_TOPIC_NAMESPACE). */
export const TOPIC_NAMESPACE = 'thihanh';

/** One topic per producing service, versioned, keyed by stream id. */
export function eventsTopic(service: string, namespace = TOPIC_NAMESPACE): string {
  return `${namespace}.${service}.events.v1`;
}

/** One dead-letter topic per consumer group. */
export function deadLetterTopic(consumerGroup: string, namespace = TOPIC_NAMESPACE): string {
  return `${namespace}.${consumerGroup}.dlq.v1`;
}

/** A topic of the default namespace (the TOPICS constants) as it is named in another one. */
export function inNamespace(topic: string, namespace: string): string {
  return namespace === TOPIC_NAMESPACE ? topic : topic.replace(new RegExp(`^${TOPIC_NAMESPACE}\\.`), `${namespace}.`);
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
