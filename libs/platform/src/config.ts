import { plainToInstance, Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates a service's configuration once, at start; fails fast listing every problem.
 * Nothing else in a service reads `process.env`.
 */
export function loadConfig<T extends object>(schema: new () => T, env: Record<string, string | undefined> = process.env): T {
  const config = plainToInstance(schema, env, { exposeDefaultValues: true, enableImplicitConversion: false });
  const errors = validateSync(config, { whitelist: false, forbidUnknownValues: false });
  if (errors.length) {
    throw new ConfigError(errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`));
  }
  return config;
}

const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value;

/** Settings every service shares; each service's config.ts extends it. */
export class ServiceConfig {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 3000;

  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  DATABASE_POOL_SIZE = 10;

  /** How long a request waits for a database connection before it is answered 503 (the pool is full or the server silent). */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  DATABASE_CONNECT_TIMEOUT_MS = 5000;

  /** Comma-separated host:port list. */
  @Transform(toList)
  @IsString({ each: true })
  KAFKA_BROKERS: string[] = ['127.0.0.1:9092'];

  @Type(() => Number)
  @IsInt()
  @Min(1)
  KAFKA_TOPIC_PARTITIONS = 6;

  /**
   * Prefix of every topic this deployment writes and reads (`<namespace>.<service>.events.v1`): several
   * deployments (staging and production, or tests) can share one Kafka cluster without hearing each other.
   */
  @Matches(/^[a-z0-9][a-z0-9-]{0,60}$/)
  KAFKA_TOPIC_NAMESPACE = 'thihanh';

  /** Consumer group of this service's consumers; defaults to the service's name. */
  @IsOptional()
  @Matches(/^[a-z0-9._-]{1,100}$/)
  KAFKA_CONSUMER_GROUP?: string;

  /** Whether a new consumer group starts from the oldest retained event (normal) or from now. */
  @IsIn(['true', 'false'])
  KAFKA_CONSUMER_FROM_BEGINNING: 'true' | 'false' = 'true';

  /** Signing keys for agency tokens: `kid:secret,kid2:secret2` (the first signs, all verify). */
  @IsString()
  @MinLength(8)
  THIHANH_AUTH_KEYS!: string;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @IsString()
  BODY_LIMIT = '1mb';

  /** How often the global log is sealed (tamper evidence), in ms. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  SEAL_INTERVAL_MS = 5000;

  /**
   * How often each service's scheduler looks for what the day calls for (new cycles, reminders,
   * overdue notices, rounds), in ms. 0: never by itself — tests with a clock of their own call tick().
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  SCHEDULER_INTERVAL_MS = 60_000;
}
