import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { inNamespace } from '@thihanh/contracts';
import { ModuleRef } from '@nestjs/core';
import { afterCommit, Database, PostgresEventStore, Projection, ProjectionRunner, sealNext } from '@thihanh/event-store';
import { IdempotencyStore } from '@thihanh/http';
import { EventConsumer, EventTooLargeError, MESSAGE_BUS, MessageBus, OutboxRelay } from '@thihanh/messaging';
import { Gauge } from 'prom-client';
import { ServiceConfig } from './config';
import { MetricsService } from './metrics';
import { ConsumerDefinition } from './inbound-events';
import { PeriodicJob } from './scheduled-job';
import { CONSUMERS, DATABASE, EVENT_STORE, PROJECTIONS, SERVICE_CONFIG, SERVICE_NAME } from './tokens';

/**
 * What every service runs beside its HTTP routes: the outbox relay (store → Kafka), its consumers
 * (other services' events, through the inbox), its projections (read models), the sealer
 * (tamper-evidence seals over the global log every SEAL_INTERVAL_MS) and the idempotency-key purge.
 */
@Injectable()
export class BackgroundWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(BackgroundWorkers.name);
  private relay?: OutboxRelay;
  private readonly runners = new Map<string, ProjectionRunner>();
  private readonly consumers = new Map<string, EventConsumer>();
  private sealer?: PeriodicJob;
  private purge?: PeriodicJob;
  private relayStarted = false;
  /** Starting the relay and the consumers in the background, when the broker was away at start. */
  private messaging?: Promise<void>;
  private stopping = false;
  private stopWaiting?: () => void;

  constructor(
    @Inject(SERVICE_NAME) private readonly service: string,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(DATABASE) private readonly db: Database,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(PROJECTIONS) projections: Projection[],
    @Inject(CONSUMERS) private readonly consumerDefinitions: ConsumerDefinition[],
    private readonly moduleRef: ModuleRef,
    private readonly metrics: MetricsService,
  ) {
    for (const projection of projections) {
      this.runners.set(
        projection.name,
        new ProjectionRunner(store, projection, {
          batchSize: 2000,
          onError: (error, attempt) => this.logger.warn(`projection ${projection.name} (attempt ${attempt}): ${String(error)}`),
        }),
      );
    }
  }

  /** A consumer by its group, e.g. to await `ready` (it has joined its group). */
  consumer(groupId: string): EventConsumer {
    const consumer = this.consumers.get(groupId);
    if (!consumer) throw new Error(`No consumer ${groupId}`);
    return consumer;
  }

  /** A projection's runner: `catchUp()` for read-your-writes in tests and tools, `rebuild()`. */
  projection(name: string): ProjectionRunner {
    const runner = this.runners.get(name);
    if (!runner) throw new Error(`No projection ${name}`);
    return runner;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.relay = new OutboxRelay(this.store, this.bus, {
      service: this.service,
      namespace: this.config.KAFKA_TOPIC_NAMESPACE,
      partitions: this.config.KAFKA_TOPIC_PARTITIONS,
      onError: (error, attempt) =>
        error instanceof EventTooLargeError
          ? this.logger.error(`relay: ${error.message} (attempt ${attempt})`)
          : this.logger.warn(`relay: publish failed (attempt ${attempt}), retrying: ${String(error)}`),
    });
    const relay = this.relay;
    new Gauge({
      name: 'outbox_relay_failing_attempts',
      help: 'Failed attempts in a row to publish the next events to Kafka (0: the relay is flowing)',
      registers: [this.metrics.registry],
      collect() {
        this.set(relay.failing?.attempts ?? 0);
      },
    });
    new Gauge({
      name: 'outbox_relay_published_events',
      help: 'Events this process has published to Kafka since it started',
      registers: [this.metrics.registry],
      collect() {
        this.set(relay.published);
      },
    });
    for (const runner of this.runners.values()) runner.start();
    // Commands need only the database: their events wait in the store (the outbox) until Kafka is back.
    const answers = await this.brokerAnswers();
    const started = answers && (await this.startMessaging().then(
      () => true,
      (error: unknown) => (this.logger.warn(`starting the relay and the consumers failed, retrying: ${describeError(error)}`), false),
    ));
    if (!started) {
      if (!answers) this.logger.error('Kafka is not answering: serving without it; the relay and the consumers start when it answers');
      this.messaging = this.startMessagingOnceBrokerAnswers();
    }
    this.sealer = new PeriodicJob(() => sealNext(this.db), this.config.SEAL_INTERVAL_MS, (error) => this.logger.warn(`sealer: ${String(error)}`));
    this.sealer.start();
    // Expired idempotency keys are already ignored; this only keeps the table small.
    const idempotency = new IdempotencyStore(this.db);
    this.purge = new PeriodicJob(() => idempotency.purgeExpired(), 3_600_000, (error) => this.logger.warn(`idempotency purge: ${String(error)}`));
    this.purge.start();
  }

  /**
   * Wakes the relay and the projections after a command appended events, so they reach Kafka and the
   * read models without waiting a poll. Inside a command's unit of work, once it has committed: the
   * readers cannot see the events before.
   */
  poke(): void {
    afterCommit(() => {
      this.relay?.poke();
      for (const runner of this.runners.values()) runner.poke();
    });
  }

  private async startMessaging(): Promise<void> {
    if (!this.relayStarted) {
      await this.relay!.start();
      this.relayStarted = true;
    }
    await this.startConsumers();
  }

  private async startMessagingOnceBrokerAnswers(): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt += 1) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, BROKER_RETRY_MS);
        this.stopWaiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (this.stopping) return;
      try {
        if (!(await this.brokerAnswers()) || this.stopping) continue;
        await this.startMessaging();
        this.logger.log('Kafka answers: the relay and the consumers started');
        return;
      } catch (error) {
        this.logger.warn(`starting the relay and the consumers failed (attempt ${attempt}), retrying: ${describeError(error)}`);
      }
    }
  }

  /** The broker answers within a few seconds (a failed connect would otherwise retry for half a minute). */
  private async brokerAnswers(): Promise<boolean> {
    const ping = this.bus.ping().then(
      () => true,
      () => false,
    );
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), BROKER_PING_MS).unref());
    return Promise.race([ping, timeout]);
  }

  /** Before TypeORM closes the pool (that happens in onApplicationShutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.stopWaiting?.();
    await this.messaging;
    await this.sealer?.stop();
    await this.purge?.stop();
    for (const consumer of this.consumers.values()) await consumer.stop();
    for (const runner of this.runners.values()) await runner.stop();
    await this.relay?.stop();
    await this.bus.close();
  }

  private async startConsumers(): Promise<void> {
    const group = this.config.KAFKA_CONSUMER_GROUP ?? this.service;
    for (const definition of this.consumerDefinitions) {
      const groupId = definition.name ? `${group}.${definition.name}` : group;
      if (this.consumers.has(groupId)) continue; // started by an earlier attempt
      const handler = this.moduleRef.get(definition.handler, { strict: false });
      const topics = definition.topics.map((topic) => inNamespace(topic, this.config.KAFKA_TOPIC_NAMESPACE));
      await this.bus.ensureTopics(topics.map((topic) => ({ topic, partitions: this.config.KAFKA_TOPIC_PARTITIONS })));
      const consumer = new EventConsumer(this.bus, this.db, {
        groupId,
        topics,
        namespace: this.config.KAFKA_TOPIC_NAMESPACE,
        fromBeginning: this.config.KAFKA_CONSUMER_FROM_BEGINNING === 'true',
        handle: async (event, tx) => {
          if (await handler.handle(event, tx)) this.poke();
        },
        onRetry: (error, attempt) => this.logger.warn(`${groupId}: ${describeError(error)} (attempt ${attempt})`),
        onDeadLetter: (message, error) =>
          this.logger.error(`${groupId}: dead-lettered ${message.topic}/${message.partition}/${message.offset}: ${describeError(error)}`),
      });
      try {
        await consumer.start();
      } catch (error) {
        await consumer.stop().catch(() => undefined); // what it connected before failing, not left open
        throw error;
      }
      this.consumers.set(groupId, consumer);
    }
  }
}

const describeError = (error: unknown) => (error instanceof Error ? error.message : String(error));
const BROKER_PING_MS = 5_000;
const BROKER_RETRY_MS = 5_000;
