import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PlatformModule } from '@thihanh/platform';
import { DecreeConsultationConfig } from './config';

export const SERVICE = 'decree-consultation';

/** Comments on draft decrees, article by article, consolidated and sent on time. */
@Module({})
export class AppModule {
  static forRoot(config: DecreeConsultationConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ service: SERVICE, config }), CqrsModule.forRoot()],
    };
  }
}
