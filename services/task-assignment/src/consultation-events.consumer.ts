import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConsultationDeadlineSetV1, ConsultationResponseSubmittedV1, EventEnvelope, TOPICS } from '@thihanh/contracts';
import { Database } from '@thihanh/event-store';
import { EventConsumer, MESSAGE_BUS, MessageBus } from '@thihanh/messaging';
import { BackgroundWorkers, DATABASE, SERVICE_CONFIG, SERVICE_NAME, ServiceConfig } from '@thihanh/platform';
import { OpenPlanCases } from './fan-out/open-plan-cases';

/**
 * Inbound decree-consultation events: a consultation's deadline becomes the due date of its dependent
 * cases; its submitted response fulfils the lead's case.
 */
@Injectable()
export class ConsultationEventsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ConsultationEventsConsumer.name);
  private consumer?: EventConsumer;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(DATABASE) private readonly db: Database,
    @Inject(SERVICE_NAME) private readonly service: string,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly cases: OpenPlanCases,
    private readonly workers: BackgroundWorkers,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.ensureTopics([{ topic: TOPICS.decreeConsultationEvents, partitions: this.config.KAFKA_TOPIC_PARTITIONS }]);
    this.consumer = new EventConsumer(this.bus, this.db, {
      groupId: `${this.config.KAFKA_CONSUMER_GROUP ?? this.service}.consultations`,
      topics: [TOPICS.decreeConsultationEvents],
      fromBeginning: this.config.KAFKA_CONSUMER_FROM_BEGINNING === 'true',
      handle: async (event, tx) => {
        if (event.type === 'ConsultationDeadlineSet') {
          const updated = await this.cases.setDependentDueDate(event as EventEnvelope<ConsultationDeadlineSetV1>, tx);
          this.logger.log(`consultation ${(event.data as ConsultationDeadlineSetV1).consultationId}: due date set on ${updated} cases`);
        } else if (event.type === 'ConsultationResponseSubmitted') {
          const fulfilled = await this.cases.fulfilFromResponse(event as EventEnvelope<ConsultationResponseSubmittedV1>, tx);
          this.logger.log(`consultation ${(event.data as ConsultationResponseSubmittedV1).consultationId}: ${fulfilled} lead cases fulfilled`);
        } else {
          return;
        }
        this.workers.poke();
      },
      onRetry: (error, attempt) => this.logger.warn(`consultation event failed (attempt ${attempt}): ${String(error)}`),
    });
    await this.consumer.start();
  }

  get ready(): Promise<void> {
    return this.consumer?.ready ?? Promise.reject(new Error('not started'));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
