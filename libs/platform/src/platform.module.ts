import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule, parseKeys } from '@thihanh/auth';
import { CLOCK, Clock, ID_SOURCE, systemClock, uuidV7Source } from '@thihanh/domain';
import { Database, EVENT_STORE_MIGRATIONS, EventTypeRegistry, PgDatabase, PostgresEventStore, Projection, runMigrations } from '@thihanh/event-store';
import { HTTP_DATABASE, HTTP_MIGRATIONS, HttpConventionsModule } from '@thihanh/http';
import { KafkaMessageBus, MESSAGE_BUS, MESSAGING_MIGRATIONS, MessageBus } from '@thihanh/messaging';
import { LoggerModule } from 'nestjs-pino';
import { DataSource, DataSourceOptions, MigrationInterface } from 'typeorm';
import { BackgroundWorkers } from './background-workers';
import { ServiceConfig } from './config';
import { HealthController } from './health.controller';
import { loggerParams } from './logging';
import { HttpMetricsMiddleware, MetricsController, MetricsService } from './metrics';
import { AUDITED_AGGREGATES, CONSUMERS, DATABASE, EVENT_STORE, PROJECTIONS, SERVICE_CONFIG, SERVICE_NAME } from './tokens';
import { AuditedAggregate } from './audit/aggregate-state';
import { AuditController } from './audit/audit.controller';
import { ConsumerDefinition } from './inbound-events';

export interface PlatformOptions {
  service: string;
  config: ServiceConfig;
  /** The service's own migrations, run after the event store's, messaging's and HTTP's. */
  migrations?: (new () => MigrationInterface)[];
  entities?: DataSourceOptions['entities'];
  registry?: EventTypeRegistry;
  /** Defaults to Kafka from KAFKA_BROKERS; the embedded mode passes the in-process bus. */
  bus?: MessageBus;
  /** Defaults to the system clock; tests pass a manual one. */
  clock?: Clock;
  /** The service's read models, kept up to date from its own log while it runs. */
  projections?: Projection[];
  /** The service's reactions to other services' events (Kafka consumers with an inbox). */
  consumers?: ConsumerDefinition[];
  /** The aggregates whose state auditors may ask for, as of an instant or a version. */
  aggregates?: AuditedAggregate[];
  /**
   * The embedded mode's database (PGlite): migrations run on it directly, TypeORM stays out. Without
   * it, the service connects to PostgreSQL at DATABASE_URL.
   */
  database?: Database;
}

/** What the caller of a service's `AppModule.forRoot` may swap: the embedded mode its bus and database, tests the clock. */
export type ServiceOverrides = Pick<PlatformOptions, 'bus' | 'clock' | 'database'>;

/** No command or consumer leaves its transaction idle for more than moments between statements. */
export const IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;

/**
 * Everything a service stands on: database (TypeORM for migrations and read models, plain pg for the
 * event store), event store, message bus, relay and sealer, JSON logs, /health, /metrics, auth and
 * the HTTP conventions.
 */
@Module({})
export class PlatformModule implements NestModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const { service, config } = options;
    const migrations = [...EVENT_STORE_MIGRATIONS, ...MESSAGING_MIGRATIONS, ...HTTP_MIGRATIONS, ...(options.migrations ?? [])];
    const embedded = options.database;
    const database = embedded
      ? { provide: DATABASE, useFactory: async () => (await runMigrations(embedded, migrations), embedded) }
      : { provide: DATABASE, inject: [getDataSourceToken()], useFactory: (ds: DataSource) => PgDatabase.fromDataSource(ds) };
    const typeorm = TypeOrmModule.forRootAsync({
      useFactory: () => ({
        type: 'postgres',
        url: config.DATABASE_URL,
        entities: options.entities ?? [],
        migrations,
        migrationsTableName: 'typeorm_migrations',
        migrationsRun: true,
        migrationsTransactionMode: 'each',
        synchronize: false,
        logging: ['error'],
        applicationName: service,
        extra: {
          max: config.DATABASE_POOL_SIZE,
          connectionTimeoutMillis: config.DATABASE_CONNECT_TIMEOUT_MS,
          // A transaction left idle (a request stuck mid-command) is ended by the server: open, it would
          // hold back every reader of every service's log on this PostgreSQL (ADR 0016).
          idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
        },
      }),
      dataSourceFactory: async (dataSourceOptions) => new DataSource(dataSourceOptions!).initialize(),
    });
    return {
      module: PlatformModule,
      global: true,
      imports: [
        LoggerModule.forRoot(loggerParams(service, config.LOG_LEVEL)),
        TerminusModule,
        ...(embedded ? [] : [typeorm]),
        AuthModule.forRoot({ keys: parseKeys(config.THIHANH_AUTH_KEYS) }),
        HttpConventionsModule,
      ],
      controllers: [HealthController, MetricsController, AuditController],
      providers: [
        { provide: SERVICE_NAME, useValue: service },
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: PROJECTIONS, useValue: options.projections ?? [] },
        { provide: CONSUMERS, useValue: options.consumers ?? [] },
        { provide: AUDITED_AGGREGATES, useValue: options.aggregates ?? [] },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        { provide: ID_SOURCE, useValue: uuidV7Source },
        database,
        { provide: HTTP_DATABASE, useExisting: DATABASE },
        {
          provide: EVENT_STORE,
          inject: [DATABASE],
          useFactory: (db: PgDatabase) => new PostgresEventStore(db, { source: service, registry: options.registry }),
        },
        {
          provide: MESSAGE_BUS,
          useFactory: () => options.bus ?? new KafkaMessageBus({ brokers: config.KAFKA_BROKERS, clientId: service }),
        },
        MetricsService,
        BackgroundWorkers,
      ],
      exports: [SERVICE_NAME, SERVICE_CONFIG, CLOCK, ID_SOURCE, DATABASE, HTTP_DATABASE, EVENT_STORE, MESSAGE_BUS, MetricsService, BackgroundWorkers, HttpConventionsModule],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*');
  }
}
