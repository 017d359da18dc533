import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EventTypeRegistry } from '@thihanh/event-store';
import { PlatformModule, ServiceOverrides } from '@thihanh/platform';
import { AgencyDirectoryController } from './agency-directory/agency-directory.controller';
import { AgencyDirectoryService, DIRECTORY_EVENT_DEFINITIONS } from './agency-directory/agency-directory.service';
import { PlanRegistryConfig } from './config';
import { PlanCatalogue1764200000000 } from './migrations/1764200000000-plan-catalogue';
import { ListPlansHandler } from './plan-catalogue/list-plans.query';
import { planCatalogueProjection } from './plan-catalogue/plan-catalogue.projection';
import { AmendPlanHandler } from './plan/amend-plan.command';
import { ClosePlanHandler } from './plan/close-plan.command';
import { DraftPlanHandler } from './plan/draft-plan.command';
import { GetPlanHandler } from './plan/get-plan.query';
import { ImportPlanHandler } from './plan/import-plan.command';
import { IssuePlanHandler } from './plan/issue-plan.command';
import { PlanController } from './plan/plan.controller';
import { PLAN_STREAM_TYPE, PLAN_EVENT_DEFINITIONS } from './plan/plan.events';
import { PlanRepository } from './plan/plan.repository';
import { RevisePlanDraftHandler } from './plan/revise-plan.command';
import { Plan } from './plan/plan.aggregate';

export const SERVICE = 'plan-registry';

/** Plans, their tasks and versions, the agency directory, plan document import. */
@Module({})
export class AppModule {
  static forRoot(config: PlanRegistryConfig, overrides: ServiceOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          service: SERVICE,
          config,
          ...overrides,
          migrations: [PlanCatalogue1764200000000],
          projections: [planCatalogueProjection],
          aggregates: [{ streamType: PLAN_STREAM_TYPE, create: (id) => new Plan(id) }],
          registry: new EventTypeRegistry().register(...PLAN_EVENT_DEFINITIONS, ...DIRECTORY_EVENT_DEFINITIONS),
        }),
        CqrsModule.forRoot(),
      ],
      controllers: [PlanController, AgencyDirectoryController],
      providers: [
        AgencyDirectoryService,
        PlanRepository,
        DraftPlanHandler,
        ImportPlanHandler,
        RevisePlanDraftHandler,
        IssuePlanHandler,
        AmendPlanHandler,
        ClosePlanHandler,
        GetPlanHandler,
        ListPlansHandler,
      ],
    };
  }
}
