import { ServiceConfig } from '@thihanh/platform';

export class PlanRegistryConfig extends ServiceConfig {
  override PORT = 3001;
}
