import { ServiceConfig } from '@thihanh/platform';

export class DecreeConsultationConfig extends ServiceConfig {
  override PORT = 3003;
}
