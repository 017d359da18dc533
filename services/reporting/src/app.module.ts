import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PlatformModule } from '@thihanh/platform';
import { ReportingConfig } from './config';

export const SERVICE = 'reporting';

/** Periodic and ad-hoc reports from every agency, compiled and rolled up. */
@Module({})
export class AppModule {
  static forRoot(config: ReportingConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ service: SERVICE, config }), CqrsModule.forRoot()],
    };
  }
}
