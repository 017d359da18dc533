// What the container images run, run here without Docker: the four services compiled by
// deploy/docker/build.mjs, started with `node dist/main.js` as the image's CMD does, each on a database
// and role made by deploy/postgres/init.sql (names prefixed so a test never touches real ones), the
// same env as compose.yaml. They must come up healthy, answer an authenticated request, stay under the
// 200 MB the Kubernetes requests assume, load nothing that `npm ci --omit=dev` leaves out, and stop
// on SIGTERM.
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { issueToken, parseKeys } from '@thihanh/auth';
import { SERVICES } from '@thihanh/contracts';
import { databaseUrl, describeWithKafka, kafkaBrokers, withAdminClient } from '@thihanh/testing';
import { compile, CompiledTree, notInProductionInstall, readRecorded, ROOT, serviceEnv } from './compiled';

// Below Linux's ephemeral range (32768+), where an outgoing connection could already hold the port.
const BASE_PORT = 27300;
const AUTH_KEYS = 'test:0123456789abcdef0123456789abcdef';
const PASSWORD = 'compiled0services0test';
const psql = spawnSync('psql', ['--version'], { encoding: 'utf8' });

const run = psql.status === 0 ? describeWithKafka : (name: string, body: () => void) => describe.skip(`${name} [skipped: psql is not installed]`, body);

run('the compiled services, as the images run them', () => {
  const prefix = `thihanh_img_${process.pid}_`;
  const namespace = `img-${process.pid}`;
  const names = SERVICES.map((s) => `${prefix}${s.replace(/-/g, '_')}`);
  let tree: CompiledTree;
  const children: { service: string; child: ChildProcess; output: () => string; record: string }[] = [];

  beforeAll(() => {
    tree = compile();
  }, 60_000);

  afterAll(async () => {
    for (const { child } of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await withAdminClient(async (c) => {
      for (const name of names) {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.query(`DROP ROLE IF EXISTS ${name}`);
      }
    });
    tree?.remove();
  });

  it('deploy/postgres/init.sql makes one database per service owned by its own role (not a superuser), and refuses a missing password', async () => {
    const sql = readFileSync(path.join(ROOT, 'deploy/postgres/init.sql'), 'utf8').replace(/\bthihanh_/g, prefix);
    const psqlRun = (env: NodeJS.ProcessEnv) =>
      spawnSync('psql', ['-v', 'ON_ERROR_STOP=1', '--no-psqlrc', '-q', databaseUrl()!], { input: sql, env, encoding: 'utf8' });
    const { THIHANH_DB_PASSWORD: _ignored, ...withoutPassword } = process.env;
    const refused = psqlRun(withoutPassword);
    expect(refused.status).not.toBe(0);
    expect(refused.stdout + refused.stderr).toContain('THIHANH_DB_PASSWORD must be set');

    const made = psqlRun({ ...process.env, THIHANH_DB_PASSWORD: PASSWORD });
    expect(made.stderr).toBe('');
    expect(made.status).toBe(0);
    const rows = await withAdminClient(async (c) =>
      (
        await c.query(
          `SELECT d.datname, r.rolname, r.rolsuper, has_database_privilege('public', d.datname, 'CONNECT') AS public_connect
             FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba WHERE d.datname = ANY($1) ORDER BY d.datname`,
          [names],
        )
      ).rows,
    );
    expect(rows).toEqual([...names].sort().map((name) => ({ datname: name, rolname: name, rolsuper: false, public_connect: false })));
  });

  it('start from dist/main.js, become healthy on their database and Kafka, and serve an authenticated request', async () => {
    const url = new URL(databaseUrl()!);
    for (const [i, service] of SERVICES.entries()) {
      const db = new URL(url);
      db.username = names[i];
      db.password = PASSWORD;
      db.pathname = `/${names[i]}`;
      const record = path.join(path.dirname(tree.dir), `${service}.loaded`);
      let output = '';
      // The image's CMD, with a preload recording which packages the service loads.
      const child = spawn(process.execPath, ['-r', tree.recorder(record), '--enable-source-maps', path.join(tree.dir, 'main.js')], {
        env: {
          PATH: process.env.PATH,
          ...tree.env,
          NODE_ENV: 'production',
          NODE_OPTIONS: '--max-old-space-size=192',
          THIHANH_SERVICE: service,
          ...serviceEnv({ service, port: BASE_PORT + i, databaseUrl: db.toString(), brokers: kafkaBrokers()!.join(','), namespace, authKeys: AUTH_KEYS }),
          BODY_LIMIT: '1mb',
        },
      });
      child.stdout!.on('data', (chunk) => (output += chunk));
      child.stderr!.on('data', (chunk) => (output += chunk));
      children.push({ service, child, output: () => output, record });
    }

    const deadline = Date.now() + 120_000;
    for (const [i, { service, child, output }] of children.entries()) {
      for (;;) {
        const health = await fetch(`http://127.0.0.1:${BASE_PORT + i}/health`).catch(() => null);
        if (health?.status === 200) {
          expect(await health.json()).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, kafka: { status: 'up' } } });
          break;
        }
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${service} did not become healthy:\n${output().slice(-3000)}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }

    const token = issueToken(parseKeys(AUTH_KEYS), { agencyId: 'son-la.ubnd-tinh', clientId: 'deploy-test', roles: ['operator'], ttlSeconds: 300 });
    const plans = await fetch(`http://127.0.0.1:${BASE_PORT}/plans?limit=1`, { headers: { authorization: `Bearer ${token}` } });
    expect(plans.status).toBe(200);
    expect(await plans.json()).toEqual({ items: [] });
    expect((await fetch(`http://127.0.0.1:${BASE_PORT}/plans?limit=1`)).status).toBe(401);

    // The Kubernetes manifests request 200Mi per pod: a service at rest must fit.
    if (existsSync('/proc/self/status')) {
      for (const { service, child } of children) {
        const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024;
        expect([service, rss < 200]).toEqual([service, true]);
      }
    }
  }, 180_000);

  it('loaded only production dependencies, and stop cleanly on SIGTERM', async () => {
    expect(children).toHaveLength(SERVICES.length);
    for (const { service, child, output, record } of children) {
      const loaded = readRecorded(record);
      expect(loaded.some((f) => f.includes('/pg/'))).toBe(true);
      expect([service, notInProductionInstall(loaded)]).toEqual([service, []]);
      const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (code, signal) => resolve([code, signal])));
      child.kill('SIGTERM');
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 20_000).unref());
      const result = await Promise.race([exited, timeout]);
      if (result === 'timeout') throw new Error(`${service} did not stop within 20 s of SIGTERM:\n${output().slice(-2000)}`);
      // Nest closes the app, then re-raises the signal.
      expect([service, result[0] === 0 || result[1] === 'SIGTERM']).toEqual([service, true]);
    }
  }, 120_000);
});
