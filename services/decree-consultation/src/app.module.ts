import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TOPICS } from '@thihanh/contracts';
import { PlatformModule, ServiceOverrides } from '@thihanh/platform';
import { DecreeConsultationConfig } from './config';
import { ActOnConsultationHandler } from './consultation/act-on-consultation.command';
import { ConsultationController } from './consultation/consultation.controller';
import { OpenConsultationHandler } from './consultation/open-consultation.command';
import { OpenPlanConsultations } from './consultation/open-plan-consultations';
import { ConsultationBoardController } from './consultation-board/consultation-board.controller';
import { consultationBoardProjection } from './consultation-board/consultation-board.projection';
import { ListConsultationsHandler } from './consultation-board/list-consultations.query';
import { Consultations1764400000000 } from './migrations/1764400000000-consultations';
import { PlanEventsConsumer } from './plan-events.consumer';
import { ConsultationScheduler } from './scheduler/consultation-scheduler';
import { Consultation } from './consultation/consultation.aggregate';
import { CONSULTATION_STREAM_TYPE } from './consultation/consultation.events';

export const SERVICE = 'decree-consultation';

/** Comments on draft decrees, article by article, consolidated and sent on time. */
@Module({})
export class AppModule {
  static forRoot(config: DecreeConsultationConfig, overrides: ServiceOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          service: SERVICE,
          config,
          ...overrides,
          migrations: [Consultations1764400000000],
          projections: [consultationBoardProjection],
          // The parsed draft is a cache of the draft's text, which is state.
          aggregates: [{ streamType: CONSULTATION_STREAM_TYPE, create: (id) => new Consultation(id), omit: ['parsed'] }],
          consumers: [{ topics: [TOPICS.planRegistryEvents], handler: PlanEventsConsumer }],
        }),
        CqrsModule.forRoot(),
      ],
      // The board's GET routes before the commands' (both under /consultations).
      controllers: [ConsultationBoardController, ConsultationController],
      providers: [ActOnConsultationHandler, OpenConsultationHandler, OpenPlanConsultations, PlanEventsConsumer, ListConsultationsHandler, ConsultationScheduler],
    };
  }
}
