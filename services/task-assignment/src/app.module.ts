import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PlatformModule } from '@thihanh/platform';
import { TaskAssignmentConfig } from './config';

export const SERVICE = 'task-assignment';

/** One case per task, agency and cycle, from issue to acceptance, with deadlines. */
@Module({})
export class AppModule {
  static forRoot(config: TaskAssignmentConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ service: SERVICE, config }), CqrsModule.forRoot()],
    };
  }
}
