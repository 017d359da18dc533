import { ServiceConfig } from '@thihanh/platform';

export class ReportingConfig extends ServiceConfig {
  override PORT = 3004;
}
