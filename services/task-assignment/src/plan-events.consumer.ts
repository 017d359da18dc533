import { Inject, Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { EventEnvelope, PlanAmendedV1, PlanIssuedV1, TOPICS } from '@thihanh/contracts';
import { Database } from '@thihanh/event-store';
import { EventConsumer, MESSAGE_BUS, MessageBus } from '@thihanh/messaging';
import { BackgroundWorkers, DATABASE, SERVICE_CONFIG, SERVICE_NAME, ServiceConfig } from '@thihanh/platform';
import { OpenPlanCases } from './fan-out/open-plan-cases';

/** Inbound plan-registry events → cases. Thin: it only hands over to the fan-out. */
@Injectable()
export class PlanEventsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PlanEventsConsumer.name);
  private consumer?: EventConsumer;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(DATABASE) private readonly db: Database,
    @Inject(SERVICE_NAME) private readonly service: string,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly openCases: OpenPlanCases,
    private readonly workers: BackgroundWorkers,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.ensureTopics([{ topic: TOPICS.planRegistryEvents, partitions: 6 }]);
    this.consumer = new EventConsumer(this.bus, this.db, {
      groupId: this.config.KAFKA_CONSUMER_GROUP ?? this.service,
      fromBeginning: this.config.KAFKA_CONSUMER_FROM_BEGINNING === 'true',
      topics: [TOPICS.planRegistryEvents],
      handle: async (event, tx) => {
        if (event.type === 'PlanIssued') {
          const { opened, existing } = await this.openCases.forIssuedPlan(event as EventEnvelope<PlanIssuedV1>, tx);
          this.logger.log(`plan ${(event.data as PlanIssuedV1).planId}: ${opened} cases opened, ${existing} already open`);
        } else if (event.type === 'PlanAmended') {
          const result = await this.openCases.forAmendedPlan(event as EventEnvelope<PlanAmendedV1>, tx);
          this.logger.log(`plan ${(event.data as PlanAmendedV1).planId} amended: ${JSON.stringify(result)}`);
        } else {
          return;
        }
        this.workers.poke();
      },
      onRetry: (error, attempt) => this.logger.warn(`plan event failed (attempt ${attempt}): ${String(error)}`),
      onDeadLetter: (message, error) => this.logger.error(`plan event dead-lettered at ${message.topic}/${message.partition}/${message.offset}: ${String(error)}`),
    });
    await this.consumer.start();
  }

  /** Resolves once the consumer has joined its group (tests, readiness). */
  get ready(): Promise<void> {
    return this.consumer?.ready ?? Promise.reject(new Error('not started'));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
