import { DataSource, DataSourceOptions, MigrationInterface } from 'typeorm';

type MigrationClass = new () => MigrationInterface;

export interface ServiceDataSourceOptions {
  url: string;
  migrations: MigrationClass[];
  entities?: DataSourceOptions['entities'];
  poolSize?: number;
  applicationName?: string;
}

/**
 * A service's TypeORM data source. Schema changes go through migrations only: `synchronize` is
 * never on (tests included, since they run the same migrations against a fresh database).
 */
export function createServiceDataSource(options: ServiceDataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: options.entities ?? [],
    migrations: options.migrations,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: ['error'],
    applicationName: options.applicationName,
    extra: { max: options.poolSize ?? 10 },
  });
}

/** Opens the data source and brings its schema up to date. */
export async function openDataSource(dataSource: DataSource): Promise<DataSource> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}
