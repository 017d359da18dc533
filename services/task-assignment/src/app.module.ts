import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TOPICS } from '@thihanh/contracts';
import { PlatformModule, ServiceOverrides } from '@thihanh/platform';
import { ActOnAssignmentHandler } from './assignment/act-on-assignment.command';
import { AssignmentController } from './assignment/assignment.controller';
import { CaseBoardController } from './case-board/case-board.controller';
import { caseBoardProjection } from './case-board/case-board.projection';
import { GetCaseBoardHandler } from './case-board/get-case-board.query';
import { ListCasesHandler } from './case-board/list-cases.query';
import { TaskAssignmentConfig } from './config';
import { ConsultationEventsConsumer } from './consultation-events.consumer';
import { OpenPlanCases } from './fan-out/open-plan-cases';
import { AssignmentCases1764300000000 } from './migrations/1764300000000-assignment-cases';
import { AssignmentPlans1764300000100 } from './migrations/1764300000100-assignment-plans';
import { DeliverableFiles1764300000200 } from './migrations/1764300000200-deliverable-files';
import { PlanEventsConsumer } from './plan-events.consumer';
import { CaseScheduler } from './scheduler/case-scheduler';
import { Assignment } from './assignment/assignment.aggregate';
import { ASSIGNMENT_STREAM_TYPE } from './assignment/assignment.events';

export const SERVICE = 'task-assignment';

/** One case per task, agency and cycle, from issue to acceptance, with deadlines. */
@Module({})
export class AppModule {
  static forRoot(config: TaskAssignmentConfig, overrides: ServiceOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          service: SERVICE,
          config,
          ...overrides,
          migrations: [AssignmentCases1764300000000, AssignmentPlans1764300000100, DeliverableFiles1764300000200],
          projections: [caseBoardProjection],
          aggregates: [{ streamType: ASSIGNMENT_STREAM_TYPE, create: (id) => new Assignment(id) }],
          consumers: [
            { topics: [TOPICS.planRegistryEvents], handler: PlanEventsConsumer },
            { name: 'consultations', topics: [TOPICS.decreeConsultationEvents], handler: ConsultationEventsConsumer },
          ],
        }),
        CqrsModule.forRoot(),
      ],
      controllers: [CaseBoardController, AssignmentController],
      providers: [
        ActOnAssignmentHandler,
        OpenPlanCases,
        PlanEventsConsumer,
        ConsultationEventsConsumer,
        CaseScheduler,
        ListCasesHandler,
        GetCaseBoardHandler,
      ],
    };
  }
}
