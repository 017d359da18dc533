/**
 * Which real services the integration suites can use. Resolved once per Jest run by global-setup:
 * env first (DATABASE_URL, KAFKA_BROKERS), then testcontainers where a container runtime exists,
 * else the suites that need the missing service are skipped with one line saying so.
 * With THIHANH_REQUIRE_SERVICES=1 (CI) a missing service fails the run instead.
 */
export function databaseUrl(): string | undefined {
  return process.env['DATABASE_URL'] || undefined;
}

export function kafkaBrokers(): string[] | undefined {
  const brokers = process.env['KAFKA_BROKERS'];
  return brokers ? brokers.split(',').map((b) => b.trim()).filter(Boolean) : undefined;
}

export const hasPostgres = (): boolean => databaseUrl() !== undefined;
export const hasKafka = (): boolean => kafkaBrokers() !== undefined;

/** `describe` when PostgreSQL is available, else a skip that says why. */
export function describeWithPostgres(name: string, body: () => void): void {
  if (hasPostgres()) describe(name, body);
  else describe.skip(`${name} [skipped: no PostgreSQL — set DATABASE_URL or run a container runtime]`, body);
}

/** `describe` when PostgreSQL and Kafka are both available, else a skip that says why. */
export function describeWithKafka(name: string, body: () => void): void {
  if (hasPostgres() && hasKafka()) describe(name, body);
  else {
    const missing = [!hasPostgres() && 'PostgreSQL (DATABASE_URL)', !hasKafka() && 'Kafka (KAFKA_BROKERS)'].filter(Boolean);
    describe.skip(`${name} [skipped: no ${missing.join(' or ')}, and no container runtime]`, body);
  }
}
