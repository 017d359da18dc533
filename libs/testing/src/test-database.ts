import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { DataSource, MigrationInterface } from 'typeorm';
import { databaseUrl } from './services';

type MigrationClass = new () => MigrationInterface;

export interface TestDatabase {
  url: string;
  name: string;
  dataSource: DataSource;
  /** The data source's own pg pool (for plain-SQL hot paths, e.g. `new PgDatabase(pool)`). */
  pool: Pool;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** Runs `work` on one client connected to the server's admin database (DATABASE_URL), then closes it. */
export async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh database with the given migrations applied through TypeORM (never `synchronize`). */
export async function createTestDatabase(
  migrations: MigrationClass[],
  options: { poolSize?: number } = {},
): Promise<TestDatabase> {
  const base = databaseUrl();
  if (!base) throw new Error('No PostgreSQL: set DATABASE_URL');
  const name = `thihanh_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdminClient((c) => c.query(`CREATE DATABASE ${name}`));
  const url = withDatabase(base, name);
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    migrations,
    migrationsTableName: 'typeorm_migrations',
    synchronize: false,
    logging: ['error'],
    applicationName: 'thihanh-test',
    extra: { max: options.poolSize ?? 12 },
  });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  return { url, name, dataSource, pool };
}

export async function dropTestDatabase(database: TestDatabase | undefined): Promise<void> {
  if (!database) return;
  if (database.dataSource.isInitialized) await database.dataSource.destroy();
  await withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS ${database.name} WITH (FORCE)`));
}

/** Registers beforeAll/afterAll for one database per test file; read `.current` inside tests. */
export function useTestDatabase(migrations: MigrationClass[], options?: { poolSize?: number }) {
  const handle: { current: TestDatabase } = { current: undefined as unknown as TestDatabase };
  beforeAll(async () => {
    handle.current = await createTestDatabase(migrations, options);
  });
  afterAll(async () => {
    await dropTestDatabase(handle.current);
  });
  return handle;
}
