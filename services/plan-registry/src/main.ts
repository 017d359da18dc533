import 'reflect-metadata';
import { bootstrapService, loadConfig } from '@thihanh/platform';
import { AppModule } from './app.module';
import { PlanRegistryConfig } from './config';

const config = loadConfig(PlanRegistryConfig);
void bootstrapService(AppModule.forRoot(config), config, { title: 'Thi Hành — Đăng ký kế hoạch / Plan registry' });
