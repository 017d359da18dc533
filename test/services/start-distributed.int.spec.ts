import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { SERVICES } from '@thihanh/contracts';
import { databaseUrl, describeWithKafka, kafkaBrokers, withAdminClient } from '@thihanh/testing';

const ROOT = path.resolve(__dirname, '../..');
// Below Linux's ephemeral range (32768+), where an outgoing connection could already hold the port.
const BASE_PORT = 27200;

/** `npm run start:distributed`, as an operator runs it on one machine: four processes, PostgreSQL and Kafka. */
describeWithKafka('npm run start:distributed', () => {
  const prefix = `thihanh_dist_${process.pid}_`;
  const namespace = `dist-${process.pid}`;
  let child: ChildProcess;
  let output = '';

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
    await withAdminClient(async (admin) => {
      for (const service of SERVICES) await admin.query(`DROP DATABASE IF EXISTS ${prefix}${service.replace(/-/g, '_')} WITH (FORCE)`);
    });
  });

  it('creates one database per service and runs the four services, each healthy with its database and the broker', async () => {
    child = spawn('npm', ['run', '--silent', 'start:distributed'], {
      cwd: ROOT,
      detached: true,
      env: {
        ...process.env,
        DATABASE_ADMIN_URL: databaseUrl(),
        KAFKA_BROKERS: kafkaBrokers()!.join(','),
        KAFKA_TOPIC_NAMESPACE: namespace,
        THIHANH_DB_PREFIX: prefix,
        THIHANH_AUTH_KEYS: 'test:0123456789abcdef0123456789abcdef',
        LOG_LEVEL: 'warn',
        ...Object.fromEntries(SERVICES.map((s, i) => [`${s.toUpperCase().replace(/-/g, '_')}_PORT`, String(BASE_PORT + i)])),
      },
    });
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const deadline = Date.now() + 120_000;
    for (const [i, service] of SERVICES.entries()) {
      for (;;) {
        const health = await fetch(`http://127.0.0.1:${BASE_PORT + i}/health`).catch(() => null);
        if (health?.status === 200) {
          expect(await health.json()).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, kafka: { status: 'up' } } });
          break;
        }
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${service} did not become healthy:\n${output.slice(-3000)}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    expect(output).toContain('Thi Hành đang chạy / is running:');
    const { rows } = await withAdminClient((admin) =>
      admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY datname`, [`${prefix}%`]),
    );
    expect(rows.map((r) => r.datname)).toEqual(SERVICES.map((s) => `${prefix}${s.replace(/-/g, '_')}`).sort());
  }, 180_000); // beyond the 120 s wait for health, so that its message is the one reported
});
