#!/usr/bin/env node
// `npm run start:distributed`: runs the four services as separate processes
// against local PostgreSQL (one database per service, created if missing) and the local Kafka broker
// (started with scripts/kafka.sh if it is not running). Ctrl-C stops them all.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const services = [
  ['plan-registry', 3001],
  ['task-assignment', 3002],
  ['decree-consultation', 3003],
  ['reporting', 3004],
];
const adminUrl = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
// Databases are named `<prefix><service>`: thihanh_plan_registry, … (another prefix keeps a second copy apart).
const prefix = process.env.THIHANH_DB_PREFIX ?? 'thihanh_';
if (!/^[a-z_][a-z0-9_]*$/.test(prefix)) throw new Error(`THIHANH_DB_PREFIX must be a lower-case identifier, not "${prefix}"`);

// A signing key kept under ./data so tokens survive restarts; operators set THIHANH_AUTH_KEYS instead.
const keyFile = path.join(root, 'data', 'auth-keys');
if (!process.env.THIHANH_AUTH_KEYS && !existsSync(keyFile)) {
  mkdirSync(path.dirname(keyFile), { recursive: true });
  writeFileSync(keyFile, `local:${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
}
const authKeys = process.env.THIHANH_AUTH_KEYS ?? readFileSync(keyFile, 'utf8').trim();

if (!process.env.KAFKA_BROKERS) {
  const kafka = spawnSync('bash', [path.join(root, 'scripts/kafka.sh'), 'start'], { stdio: 'inherit' });
  if (kafka.status !== 0) process.exit(kafka.status ?? 1);
}

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
for (const [service] of services) {
  const name = `${prefix}${service.replace(/-/g, '_')}`;
  const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (!rowCount) await admin.query(`CREATE DATABASE ${name}`);
}
await admin.end();

const children = services.map(([service, port]) => {
  const url = new URL(adminUrl);
  url.pathname = `/${prefix}${service.replace(/-/g, '_')}`;
  const child = spawn(process.execPath, ['-r', '@swc-node/register', `services/${service}/src/main.ts`], {
    cwd: root,
    env: {
      ...process.env,
      SWC_NODE_PROJECT: path.join(root, 'tsconfig.json'),
      PORT: String(process.env[`${service.toUpperCase().replace(/-/g, '_')}_PORT`] ?? port),
      DATABASE_URL: url.toString(),
      KAFKA_BROKERS: brokers,
      THIHANH_AUTH_KEYS: authKeys,
    },
    stdio: 'inherit',
  });
  child.on('exit', (code, signal) => {
    process.stderr.write(`${service} exited (${signal ?? code})\n`);
    if (!stopping) stop(1);
  });
  return child;
});

let stopping = false;
function stop(code = 0) {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 5000).unref();
  Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null))).then(() => process.exit(code));
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

process.stdout.write(
  `\nThi Hành đang chạy / is running:\n${services.map(([s, p]) => `  ${s.padEnd(20)} http://127.0.0.1:${p}/docs`).join('\n')}\n` +
    `Token cho người vận hành / operator token:\n  THIHANH_AUTH_KEYS="$(cat data/auth-keys)" npm run --silent thihanh -- token issue --agency son-la.ubnd-tinh --client operator-cli --roles operator\n\n`,
);
