import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { SERVICES } from '@thihanh/contracts';
import { createTestDatabase, describeWithKafka, dropTestDatabase, kafkaBrokers, TestDatabase } from '@thihanh/testing';

const ROOT = path.resolve(__dirname, '../..');
// Below Linux's ephemeral range (32768+), where an outgoing connection could already hold the port.
const BASE_PORT = 27100;

interface Running {
  service: string;
  port: number;
  child: ChildProcess;
  logs: string[];
  database: TestDatabase;
}

async function waitForHealth(port: number, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.status === 200) return res;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`port ${port}: no healthy answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describeWithKafka('each service starts as its own process', () => {
  const running: Running[] = [];

  beforeAll(async () => {
    for (const [i, service] of SERVICES.entries()) {
      const database = await createTestDatabase([]);
      await database.dataSource.destroy(); // the service runs its own migrations
      const port = BASE_PORT + i;
      const logs: string[] = [];
      const child = spawn(process.execPath, ['-r', '@swc-node/register', `services/${service}/src/main.ts`], {
        cwd: ROOT,
        env: {
          ...process.env,
          SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'),
          PORT: String(port),
          DATABASE_URL: database.url,
          KAFKA_BROKERS: kafkaBrokers()!.join(','),
          THIHANH_AUTH_KEYS: 'test:0123456789abcdef0123456789abcdef',
          // Other tests' events on the shared topics are not this test's business.
          KAFKA_CONSUMER_GROUP: `${service}-${database.name}`,
          KAFKA_CONSUMER_FROM_BEGINNING: 'false',
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (chunk: Buffer) => logs.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
      child.stderr!.on('data', (chunk: Buffer) => logs.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
      running.push({ service, port, child, logs, database });
    }
    await Promise.all(running.map((r) => waitForHealth(r.port, 90_000).catch((e) => Promise.reject(new Error(`${r.service}: ${e.message}\n${r.logs.slice(-20).join('\n')}`)))));
  }, 150_000);

  afterAll(async () => {
    for (const r of running) if (r.child.exitCode === null) r.child.kill('SIGKILL');
    for (const r of running) await dropTestDatabase(r.database).catch(() => undefined);
  });

  it.each([...SERVICES])('%s serves /health with its database and Kafka checks up', async (service) => {
    const { port } = running.find((r) => r.service === service)!;
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, kafka: { status: 'up' } } });
  });

  it.each([...SERVICES])('%s serves Prometheus metrics labelled with its name', async (service) => {
    const { port } = running.find((r) => r.service === service)!;
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain(`process_resident_memory_bytes{service="${service}"}`);
    expect(text).toContain('http_request_duration_seconds_bucket');
    // The relay is flowing: no failed attempt to publish.
    expect(text).toContain(`outbox_relay_failing_attempts{service="${service}"} 0`);
    expect(text).toMatch(new RegExp(`outbox_relay_published_events\\{service="${service}"\\} \\d+`));
  });

  it.each([...SERVICES])('%s logs JSON lines carrying the caller’s correlation id, and answers errors as problem+json', async (service) => {
    const r = running.find((x) => x.service === service)!;
    const res = await fetch(`http://127.0.0.1:${r.port}/health`, { headers: { 'x-correlation-id': `corr-${service}` } });
    expect((await fetch(`http://127.0.0.1:${r.port}/openapi.json`)).status).toBe(200);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-correlation-id')).toBe(`corr-${service}`);
    const missing = await fetch(`http://127.0.0.1:${r.port}/no-such-route`, { headers: { 'x-correlation-id': `corr-${service}` } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(await missing.json()).toMatchObject({ code: 'HTTP.NOT_FOUND', correlationId: `corr-${service}` });
    const deadline = Date.now() + 5000;
    let line: Record<string, unknown> | undefined;
    while (!line && Date.now() < deadline) {
      line = r.logs.map((l) => { try { return JSON.parse(l) as Record<string, unknown>; } catch { return undefined; } })
        .find((l) => l?.['correlationId'] === `corr-${service}`);
      if (!line) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(line).toMatchObject({ service, correlationId: `corr-${service}` });
  });

  it('stops cleanly on SIGTERM', async () => {
    // Nest runs its shutdown hooks, then re-raises the signal: a clean stop ends by SIGTERM, promptly.
    const exits = running.map((r) => new Promise<string>((resolve) => r.child.once('exit', (code, signal) => resolve(String(signal ?? code)))));
    for (const r of running) r.child.kill('SIGTERM');
    expect(await Promise.all(exits)).toEqual(running.map(() => 'SIGTERM'));
    for (const r of running) expect(r.logs.filter((l) => l.includes('"level":50'))).toEqual([]);
  }, 60_000);
});
