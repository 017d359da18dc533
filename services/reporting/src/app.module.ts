import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TOPICS } from '@thihanh/contracts';
import { PlatformModule, ServiceOverrides } from '@thihanh/platform';
import { ActOnReportHandler } from './agency-report/act-on-report.command';
import { ReportingConfig } from './config';
import { Reporting1764500000000 } from './migrations/1764500000000-reporting';
import { IssueProvincialReportHandler } from './provincial-report/issue-provincial-report.command';
import { ProvincialReportController } from './provincial-report/provincial-report.controller';
import { ReportFacts } from './provincial-report/report-facts';
import { FiguresController } from './read-models/figures.controller';
import { SourceEventsConsumer } from './read-models/source-events.consumer';
import { OpenRoundHandler } from './round/open-round.command';
import { PeriodicRounds } from './round/periodic-rounds';
import { roundsProjection } from './round/rounds.projection';
import { RoundsController } from './round/rounds.controller';
import { RoundScheduler } from './scheduler/round-scheduler';
import { ReportingRound } from './round/round.aggregate';
import { ROUND_STREAM_TYPE } from './round/round.events';
import { AgencyReport } from './agency-report/agency-report.aggregate';
import { AGENCY_REPORT_STREAM_TYPE } from './agency-report/agency-report.events';

export const SERVICE = 'reporting';

/** Periodic and ad-hoc reports from every agency, compiled and rolled up. */
@Module({})
export class AppModule {
  static forRoot(config: ReportingConfig, overrides: ServiceOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          service: SERVICE,
          config,
          ...overrides,
          migrations: [Reporting1764500000000],
          projections: [roundsProjection],
          aggregates: [
            { streamType: ROUND_STREAM_TYPE, create: (id) => new ReportingRound(id) },
            { streamType: AGENCY_REPORT_STREAM_TYPE, create: (id) => new AgencyReport(id) },
          ],
          consumers: [{ topics: [TOPICS.planRegistryEvents, TOPICS.taskAssignmentEvents, TOPICS.decreeConsultationEvents], handler: SourceEventsConsumer }],
        }),
        CqrsModule.forRoot(),
      ],
      controllers: [RoundsController, ProvincialReportController, FiguresController],
      providers: [SourceEventsConsumer, ReportFacts, OpenRoundHandler, ActOnReportHandler, IssueProvincialReportHandler, PeriodicRounds, RoundScheduler],
    };
  }
}
