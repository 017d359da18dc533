/* Jest globalSetup for integration suites: finds PostgreSQL and Kafka, starting containers if it must. */
type Stoppable = { stop(): Promise<unknown> };

declare global {
  var __THIHANH_CONTAINERS__: Stoppable[] | undefined;
}

async function containerRuntimeAvailable(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

export default async function globalSetup(): Promise<void> {
  const started: Stoppable[] = [];
  const missing: string[] = [];
  const needPg = !process.env['DATABASE_URL'];
  const needKafka = !process.env['KAFKA_BROKERS'];
  if ((needPg || needKafka) && (await containerRuntimeAvailable())) {
    if (needPg) {
      const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
      const pg = await new PostgreSqlContainer('postgres:16-alpine').start();
      process.env['DATABASE_URL'] = pg.getConnectionUri();
      started.push(pg);
    }
    if (needKafka) {
      const { KafkaContainer } = await import('@testcontainers/kafka');
      const kafka = await new KafkaContainer('confluentinc/cp-kafka:7.7.1').withKraft().start();
      process.env['KAFKA_BROKERS'] = `${kafka.getHost()}:${kafka.getMappedPort(9093)}`;
      started.push(kafka);
    }
  }
  if (!process.env['DATABASE_URL']) missing.push('PostgreSQL (set DATABASE_URL)');
  if (!process.env['KAFKA_BROKERS']) missing.push('Kafka (set KAFKA_BROKERS, e.g. after `npm run kafka -- start`)');
  globalThis.__THIHANH_CONTAINERS__ = started;
  if (missing.length) {
    const line = `Integration suites needing ${missing.join(' and ')} are SKIPPED: no env and no container runtime.`;
    if (process.env['THIHANH_REQUIRE_SERVICES'] === '1') throw new Error(`THIHANH_REQUIRE_SERVICES=1 but ${line}`);
    process.stderr.write(`\n${line}\n`);
  }
}
