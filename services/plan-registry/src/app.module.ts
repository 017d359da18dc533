import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PlatformModule } from '@thihanh/platform';
import { PlanRegistryConfig } from './config';

export const SERVICE = 'plan-registry';

/** Plans, their tasks and versions, the agency directory, plan document import. */
@Module({})
export class AppModule {
  static forRoot(config: PlanRegistryConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ service: SERVICE, config }), CqrsModule.forRoot()],
    };
  }
}
