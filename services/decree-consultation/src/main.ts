import 'reflect-metadata';
import { bootstrapService, loadConfig } from '@thihanh/platform';
import { AppModule } from './app.module';
import { DecreeConsultationConfig } from './config';

const config = loadConfig(DecreeConsultationConfig);
void bootstrapService(AppModule.forRoot(config), config, { title: 'Thi Hành — Góp ý dự thảo Nghị định / Decree consultation' });
