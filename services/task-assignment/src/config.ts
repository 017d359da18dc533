import { ServiceConfig } from '@thihanh/platform';

export class TaskAssignmentConfig extends ServiceConfig {
  override PORT = 3002;
}
