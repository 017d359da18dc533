import 'reflect-metadata';
import { bootstrapService, loadConfig } from '@thihanh/platform';
import { AppModule } from './app.module';
import { ReportingConfig } from './config';

const config = loadConfig(ReportingConfig);
void bootstrapService(AppModule.forRoot(config), config, { title: 'Thi Hành — Báo cáo / Reporting' });
