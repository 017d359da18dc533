import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { INestApplication } from '@nestjs/common';
import { issueToken, parseKeys } from '@thihanh/auth';
import { EmbeddedPostgres } from '@thihanh/event-store';
import { InProcessMessageBus } from '@thihanh/messaging';
import { bootstrapService, loadConfig } from '@thihanh/platform';
import { AppModule as DecreeConsultation } from '../../services/decree-consultation/src/app.module';
import { DecreeConsultationConfig } from '../../services/decree-consultation/src/config';
import { AppModule as PlanRegistry } from '../../services/plan-registry/src/app.module';
import { PlanRegistryConfig } from '../../services/plan-registry/src/config';
import { AppModule as Reporting } from '../../services/reporting/src/app.module';
import { ReportingConfig } from '../../services/reporting/src/config';
import { AppModule as TaskAssignment } from '../../services/task-assignment/src/app.module';
import { TaskAssignmentConfig } from '../../services/task-assignment/src/config';
import { EmbeddedConfig } from './embedded.config';
import { loadExamples } from './examples';

/**
 * The whole system in one process, no external service: the four services' modules — the same
 * aggregates, handlers, projections and routes as when distributed — on one embedded PostgreSQL
 * (PGlite, a schema per service, kept under THIHANH_DATA_DIR) with the in-process bus in place of Kafka.
 */
export async function startEmbedded(config: EmbeddedConfig): Promise<{ apps: Record<string, INestApplication>; stop: () => Promise<void>; operatorToken: string }> {
  const inMemory = config.THIHANH_DATA_DIR === ':memory:';
  // A signing key kept with the data, so tokens survive restarts (in memory, one for this run).
  const keyFile = path.join(config.THIHANH_DATA_DIR, 'auth-keys');
  if (!inMemory) mkdirSync(config.THIHANH_DATA_DIR, { recursive: true });
  if (!inMemory && !config.THIHANH_AUTH_KEYS && !existsSync(keyFile)) writeFileSync(keyFile, `embedded:${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  const keys = config.THIHANH_AUTH_KEYS ?? (inMemory ? `embedded:${randomBytes(32).toString('hex')}` : readFileSync(keyFile, 'utf8').trim());
  const embedded = await EmbeddedPostgres.open(inMemory ? undefined : path.join(config.THIHANH_DATA_DIR, 'postgres'));
  const bus = new InProcessMessageBus();
  const common = { THIHANH_AUTH_KEYS: keys, LOG_LEVEL: config.LOG_LEVEL };
  const services = [
    { name: 'plan-registry', title: 'Thi Hành — Kế hoạch / Plan registry', start: (env: Record<string, string>) => {
      const cfg = loadConfig(PlanRegistryConfig, env);
      return [PlanRegistry.forRoot(cfg, { bus, database: embedded.forService('plan_registry') }), cfg] as const;
    } },
    { name: 'task-assignment', title: 'Thi Hành — Giao nhiệm vụ / Task assignment', start: (env: Record<string, string>) => {
      const cfg = loadConfig(TaskAssignmentConfig, env);
      return [TaskAssignment.forRoot(cfg, { bus, database: embedded.forService('task_assignment') }), cfg] as const;
    } },
    { name: 'decree-consultation', title: 'Thi Hành — Góp ý dự thảo / Decree consultation', start: (env: Record<string, string>) => {
      const cfg = loadConfig(DecreeConsultationConfig, env);
      return [DecreeConsultation.forRoot(cfg, { bus, database: embedded.forService('decree_consultation') }), cfg] as const;
    } },
    { name: 'reporting', title: 'Thi Hành — Báo cáo / Reporting', start: (env: Record<string, string>) => {
      const cfg = loadConfig(ReportingConfig, env);
      return [Reporting.forRoot(cfg, { bus, database: embedded.forService('reporting') }), cfg] as const;
    } },
  ];
  const apps: Record<string, INestApplication> = {};
  for (const [i, service] of services.entries()) {
    const [module, cfg] = service.start({ ...common, PORT: String(config.THIHANH_PORT + i + 1) });
    apps[service.name] = await bootstrapService(module, cfg, { title: service.title });
  }
  const [key] = parseKeys(keys);
  const operatorToken = issueToken([key], { agencyId: 'embedded.operator', clientId: 'embedded-console', roles: ['operator'], ttlSeconds: 30 * 86_400 });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const app of Object.values(apps).reverse()) await app.close();
    await embedded.close();
  };
  return { apps, stop, operatorToken };
}

async function main(): Promise<void> {
  const config = loadConfig(EmbeddedConfig);
  const { apps, stop, operatorToken } = await startEmbedded(config);
  const base = (service: string) => `http://127.0.0.1:${(apps[service].getHttpServer().address() as { port: number }).port}`;
  if (config.THIHANH_EXAMPLES === 'true') {
    const loaded = await loadExamples(config.THIHANH_DATA_DIR, base('plan-registry'), operatorToken);
    if (loaded.length) process.stdout.write(`Đã nạp kế hoạch mẫu / example plans loaded: ${loaded.join(', ')}\n`);
  }
  const lines = [
    '',
    `Thi Hành đang chạy (một tiến trình, dữ liệu tại ${path.resolve(config.THIHANH_DATA_DIR)}) / running embedded`,
    ...Object.keys(apps).map((service) => `  ${service.padEnd(20)} ${base(service)}/docs`),
    '',
    'Mã truy cập quản trị (30 ngày) / operator token (30 days):',
    `  ${operatorToken}`,
    'Other tokens: THIHANH_AUTH_KEYS="$(cat ' + path.join(config.THIHANH_DATA_DIR, 'auth-keys') + ')" npm run --silent thihanh -- token issue --agency <id> --client <name> --roles member',
    'Ctrl-C để dừng / to stop.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
  const shutdown = () => void stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
