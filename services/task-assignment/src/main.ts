import 'reflect-metadata';
import { bootstrapService, loadConfig } from '@thihanh/platform';
import { AppModule } from './app.module';
import { TaskAssignmentConfig } from './config';

const config = loadConfig(TaskAssignmentConfig);
void bootstrapService(AppModule.forRoot(config), config, { title: 'Thi Hành — Giao nhiệm vụ / Task assignment' });
