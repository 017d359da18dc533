// deploy/: the Dockerfile, compose.yaml, the nginx proxy and the Kubernetes manifests, read as the
// tools would read them and held against what the services need: every setting of their config
// classes, /health on their own port, non-root, one base URL routing /<service>/ to each. Checks
// that need a tool (docker compose, nginx, kubectl) run when it is installed and are skipped with a
// line naming what is missing when it is not.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo, createServer as createNetServer } from 'node:net';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { parse, parseAllDocuments } from 'yaml';
import { parseKeys } from '@thihanh/auth';
import { SERVICES } from '@thihanh/contracts';
import { loadConfig, ServiceConfig } from '@thihanh/platform';
import { DecreeConsultationConfig } from '../../services/decree-consultation/src/config';
import { PlanRegistryConfig } from '../../services/plan-registry/src/config';
import { ReportingConfig } from '../../services/reporting/src/config';
import { TaskAssignmentConfig } from '../../services/task-assignment/src/config';
import { compile, CompiledTree, notInProductionInstall, readRecorded, ROOT } from './compiled';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Env = Record<string, string | undefined>;

const file = (rel: string) => readFileSync(path.join(ROOT, rel), 'utf8');
const CONFIGS: Record<string, new () => ServiceConfig> = {
  'plan-registry': PlanRegistryConfig,
  'task-assignment': TaskAssignmentConfig,
  'decree-consultation': DecreeConsultationConfig,
  reporting: ReportingConfig,
};
const PORT_OF = (service: string) => new CONFIGS[service]().PORT;
const DB_OF = (service: string) => `thihanh_${service.replace(/-/g, '_')}`;

/**
 * What a deployment must give a service: every property of its config class that has a default
 * (deployments state them rather than fall back on localhost defaults) and every validated one that
 * is not @IsOptional (THIHANH_AUTH_KEYS has no default). Derived from the class, so a setting added
 * to ServiceConfig fails here until deploy/ provides it.
 */
function requiredSettings(schema: new () => ServiceConfig): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(schema, '', true, false);
  const optional = new Set(metadata.filter((m) => m.type === 'conditionalValidation').map((m) => m.propertyName));
  const validated = metadata.map((m) => m.propertyName).filter((name) => !optional.has(name));
  return [...new Set([...Object.keys(new schema()), ...validated])].sort();
}

const TEST_ENV: Env = {
  THIHANH_AUTH_KEYS: 'test:0123456789abcdef0123456789abcdef',
  POSTGRES_PASSWORD: 'superuser-secret-1',
  THIHANH_DB_PASSWORD: 'services0secret1',
};

/** Compose's variable interpolation: $$, $VAR, ${VAR}, ${VAR:-d}, ${VAR-d}, ${VAR:?e}, ${VAR?e}. */
function interpolate(value: unknown, env: Env): string {
  return String(value).replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, name: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
      if (match === '$$') return '$';
      if (bare) return env[bare] ?? '';
      const v = env[name!];
      switch (op) {
        case ':-':
          return v ? v : arg!;
        case '-':
          return v ?? arg!;
        case ':?':
          if (!v) throw new Error(`required variable ${name} is missing: ${arg}`);
          return v;
        case '?':
          if (v === undefined) throw new Error(`required variable ${name} is missing: ${arg}`);
          return v;
        default:
          return v ?? '';
      }
    },
  );
}

/** Mebibytes in a Kubernetes quantity (Mi, Gi, M, G). */
function mebibytes(quantity: string): number {
  const m = /^(\d+(?:\.\d+)?)(Mi|Gi|M|G)$/.exec(quantity);
  if (!m) throw new Error(`unexpected memory quantity ${quantity}`);
  const n = Number(m[1]);
  return { Mi: n, Gi: n * 1024, M: (n * 1e6) / 2 ** 20, G: (n * 1e9) / 2 ** 20 }[m[2] as 'Mi' | 'Gi' | 'M' | 'G'];
}

function tool(command: string, args: string[]): { ok: boolean; out: string } {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 });
  return { ok: result.status === 0, out: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}` };
}

it('the deployment covers exactly the services of the repository', () => {
  const folders = readdirSync(path.join(ROOT, 'services'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  expect([...SERVICES].sort()).toEqual(folders);
  expect(Object.keys(CONFIGS).sort()).toEqual(folders);
  for (const service of SERVICES) {
    const settings = requiredSettings(CONFIGS[service]);
    expect(settings).toEqual(expect.arrayContaining(['PORT', 'DATABASE_URL', 'KAFKA_BROKERS', 'THIHANH_AUTH_KEYS']));
    expect(settings).not.toContain('KAFKA_CONSUMER_GROUP'); // optional: defaults to the service's name
  }
});

// ---------------------------------------------------------------------------------------------------
describe('deploy/docker/Dockerfile', () => {
  interface Stage {
    base: string;
    name?: string;
    instructions: { op: string; args: string }[];
  }
  const text = file('deploy/docker/Dockerfile');
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, op, args] = /^(\S+)\s+(.*)$/.exec(line)!;
    if (op.toUpperCase() === 'FROM') {
      const [, base, name] = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args)!;
      stages.push({ base, name, instructions: [] });
    } else if (!stages.length && op.toUpperCase() === 'ARG') {
      const [k, v] = args.split('=');
      globalArgs[k] = v;
    } else stages[stages.length - 1].instructions.push({ op: op.toUpperCase(), args });
  }
  const expand = (s: string, args: Record<string, string>) => s.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => args[a ?? b] ?? '');
  const byName = (name: string) => stages.find((s) => s.name === name);

  /** The final image for `--build-arg SERVICE=…`: the stage chain and what it inherits. */
  function image(service: string) {
    const args = { ...globalArgs, SERVICE: service };
    const chain: Stage[] = [];
    for (let stage: Stage | undefined = stages[stages.length - 1]; stage; stage = byName(expand(stage.base, args))) chain.unshift(stage);
    const all = chain.flatMap((s) => s.instructions);
    const last = (op: string) => [...all].reverse().find((i) => i.op === op)?.args;
    const env: Record<string, string> = {};
    for (const i of all.filter((i) => i.op === 'ENV')) {
      for (const [, k, v] of i.args.matchAll(/(\w+)=(\S+)/g)) env[k] = v;
    }
    return {
      base: expand(chain[0].base, args),
      chain,
      env,
      user: last('USER'),
      healthcheck: last('HEALTHCHECK'),
      cmd: last('CMD'),
      expose: all.filter((i) => i.op === 'EXPOSE').map((i) => i.args),
    };
  }

  it('is multi-stage from node:20-bookworm-slim (glibc: resvg and swc ship linux-x64-gnu binaries), installing with npm ci from the lock file', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(globalArgs['NODE_IMAGE']).toBe('node:20-bookworm-slim');
    const deps = stages[0];
    expect(expand(deps.base, globalArgs)).toBe('node:20-bookworm-slim');
    expect(deps.instructions).toEqual(
      expect.arrayContaining([
        { op: 'COPY', args: 'package.json package-lock.json ./' },
        expect.objectContaining({ op: 'RUN', args: expect.stringMatching(/^npm ci\b/) }),
      ]),
    );
    expect(byName('prod-deps')!.instructions).toEqual(
      expect.arrayContaining([expect.objectContaining({ op: 'RUN', args: expect.stringMatching(/^npm ci --omit=dev\b/) })]),
    );
  });

  it.each(SERVICES)('builds %s: its service and port, non-root, NODE_ENV=production, a HEALTHCHECK on /health/ready through node fetch, node as CMD', (service) => {
    const img = image(service);
    const port = PORT_OF(service);
    expect(img.chain.map((s) => s.name)).toEqual(['runtime', `service-${service}`, 'final']);
    expect(img.base).toBe('node:20-bookworm-slim');
    expect(img.env).toMatchObject({ NODE_ENV: 'production', THIHANH_SERVICE: service, PORT: String(port) });
    expect(img.expose).toEqual([String(port)]);
    expect(img.user).toBe('10001:10001');
    expect(img.healthcheck).toMatch(/^--interval=\S+ .*CMD \["node", "-e", ".*fetch\('http:\/\/127\.0\.0\.1:' \+ process\.env\.PORT \+ '\/health\/ready'/);
    expect(img.cmd).toBe('["node", "--enable-source-maps", "dist/main.js"]');
    // Only the compiled code and production dependencies reach the image: no dev dependency, no sources.
    const copies = img.chain.flatMap((s) => s.instructions).filter((i) => i.op === 'COPY');
    expect(copies.map((c) => c.args)).toEqual([
      '--from=prod-deps /app/node_modules ./node_modules',
      '--from=build /app/dist ./dist',
      'package.json ./',
    ]);
  });

  it('creates user 10001 that is not root', () => {
    const runtime = byName('runtime')!;
    const run = runtime.instructions.find((i) => i.op === 'RUN' && i.args.includes('useradd'))!;
    expect(run.args).toMatch(/groupadd --system --gid 10001 \w+/);
    expect(run.args).toMatch(/useradd --system --uid 10001 --gid 10001 /);
  });

  it('has a build context ignore file that lets through exactly what the Dockerfile copies, and leaves out node_modules, .kafka, data, .nx, dist, tmp, .git', () => {
    const ignore = file('deploy/docker/Dockerfile.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(ignore[0]).toBe('*'); // an allow-list: everything else (node_modules, .kafka, data, .nx, dist, tmp, .git…) stays out
    const allowed = ignore.filter((l) => l.startsWith('!')).map((l) => l.slice(1));
    const sources = stages
      .flatMap((s) => s.instructions)
      .filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    expect([...new Set(sources)].sort()).toEqual([...allowed].sort());
    for (const source of sources) expect(existsSync(path.join(ROOT, source))).toBe(true);
    expect(ignore).toEqual(expect.arrayContaining(['**/node_modules', '**/dist']));
    for (const left of ['node_modules', '.kafka', 'data', '.nx', 'dist', 'tmp', '.git']) expect(allowed).not.toContain(left);
  });
});

// ---------------------------------------------------------------------------------------------------
describe('deploy/docker/build.mjs (what the images run)', () => {
  let tree: CompiledTree;
  beforeAll(() => {
    tree = compile();
  }, 60_000);
  afterAll(() => tree?.remove());

  it('compiles every service with an entry point chosen by THIHANH_SERVICE, and copies the JSON data', () => {
    for (const service of SERVICES) expect(existsSync(path.join(tree.dir, 'services', service, 'src/main.js'))).toBe(true);
    expect(existsSync(path.join(tree.dir, 'libs/agency-directory/src/data/national.json'))).toBe(true);
    expect(readdirSync(path.join(tree.dir, 'libs/platform/src')).filter((f) => f.endsWith('.spec.js'))).toEqual([]);
    const wrong = spawnSync(process.execPath, [path.join(tree.dir, 'main.js')], { env: { ...tree.env, THIHANH_SERVICE: 'nope' }, encoding: 'utf8' });
    expect(wrong.status).toBe(64);
    expect(wrong.stderr).toContain('THIHANH_SERVICE must be one of decree-consultation, plan-registry, reporting, task-assignment');
  });

  it('loads every service module with production dependencies only (the runtime stage has npm ci --omit=dev)', () => {
    const record = path.join(path.dirname(tree.dir), 'loaded.json');
    const script = SERVICES.map((s) => `require(${JSON.stringify(path.join(tree.dir, 'services', s, 'src/app.module.js'))});`).join('\n');
    const result = spawnSync(process.execPath, ['-r', tree.recorder(record), '-r', 'reflect-metadata', '-e', script], {
      env: { PATH: process.env.PATH, ...tree.env },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const loaded = readRecorded(record);
    expect(loaded.some((f) => f.includes('/@nestjs/core/'))).toBe(true);
    expect(notInProductionInstall(loaded)).toEqual([]);
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------------
describe('deploy/compose.yaml', () => {
  const compose = parse(file('deploy/compose.yaml'), { merge: true }) as Obj;
  const services = compose.services as Obj;
  const initSql = file('deploy/postgres/init.sql');

  const envOf = (service: string, env: Env = TEST_ENV): Env =>
    Object.fromEntries(Object.entries(services[service].environment as Obj).map(([k, v]) => [k, interpolate(v, env)]));

  it('runs Kafka in KRaft mode on one node, reachable as kafka:9092 on the compose network', () => {
    const kafka = services.kafka;
    expect(kafka.image).toMatch(/^apache\/kafka:\d+\.\d+\.\d+$/);
    expect(kafka.environment.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(kafka.environment.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe('1@kafka:9093');
    expect(kafka.environment.KAFKA_ADVERTISED_LISTENERS).toBe('PLAINTEXT://kafka:9092');
    expect(kafka.environment.KAFKA_LOG_DIRS).toBe('/var/lib/kafka/data');
    expect(kafka.volumes).toContain('kafka-data:/var/lib/kafka/data');
    expect(kafka.healthcheck.test.join(' ')).toContain('--bootstrap-server localhost:9092');
  });

  it('runs PostgreSQL 15 with deploy/postgres/init.sql creating one database and one role per service', () => {
    const postgres = services.postgres;
    expect(postgres.image).toMatch(/^postgres:15(\b|-)/);
    expect(postgres.volumes).toContain('./postgres/init.sql:/docker-entrypoint-initdb.d/10-thihanh.sql:ro');
    expect(existsSync(path.join(ROOT, 'deploy/postgres/init.sql'))).toBe(true);
    expect(postgres.healthcheck.test).toEqual(expect.arrayContaining(['pg_isready', '--host=127.0.0.1']));
    for (const service of SERVICES) {
      const db = DB_OF(service);
      expect(initSql).toContain(`CREATE ROLE ${db} LOGIN PASSWORD :'db_password';`);
      expect(initSql).toContain(`CREATE DATABASE ${db} OWNER ${db};`);
      expect(initSql).toContain(`REVOKE ALL ON DATABASE ${db} FROM PUBLIC;`);
    }
    expect(envOf('postgres')).toEqual({ POSTGRES_PASSWORD: TEST_ENV.POSTGRES_PASSWORD, THIHANH_DB_PASSWORD: TEST_ENV.THIHANH_DB_PASSWORD });
  });

  it.each(SERVICES)('builds %s from the Dockerfile and gives it every setting of its config class, valid', (service) => {
    const s = services[service];
    expect(s.build).toEqual({ context: '..', dockerfile: 'deploy/docker/Dockerfile', args: { SERVICE: service } });
    expect(path.resolve(ROOT, 'deploy', s.build.context)).toBe(ROOT);
    expect(existsSync(path.join(ROOT, s.build.dockerfile))).toBe(true);
    expect(interpolate(s.image, {})).toBe(`ghcr.io/thihanh/${service}:latest`);

    const env = envOf(service);
    const missing = requiredSettings(CONFIGS[service]).filter((name) => env[name] === undefined);
    expect(missing).toEqual([]);
    const config = loadConfig(CONFIGS[service], env);
    expect(config.PORT).toBe(PORT_OF(service));
    expect(config.KAFKA_BROKERS).toEqual(['kafka:9092']);
    expect(config.KAFKA_CONSUMER_GROUP).toBe(service);
    expect(config.THIHANH_AUTH_KEYS).toBe(TEST_ENV.THIHANH_AUTH_KEYS);
    const url = new URL(config.DATABASE_URL);
    expect([url.hostname, url.port, url.pathname, url.username, url.password]).toEqual(['postgres', '5432', `/${DB_OF(service)}`, DB_OF(service), TEST_ENV.THIHANH_DB_PASSWORD]);
  });

  it.each(SERVICES)('refuses to start %s without THIHANH_AUTH_KEYS or THIHANH_DB_PASSWORD (no default secret)', (service) => {
    expect(() => envOf(service, { ...TEST_ENV, THIHANH_AUTH_KEYS: undefined })).toThrow(/THIHANH_AUTH_KEYS/);
    expect(() => envOf(service, { ...TEST_ENV, THIHANH_DB_PASSWORD: '' })).toThrow(/THIHANH_DB_PASSWORD/);
  });

  it.each(SERVICES)('checks %s on /health/ready at its port, runs it as non-root, after PostgreSQL and Kafka are healthy', (service) => {
    const s = services[service];
    const port = PORT_OF(service);
    expect(s.healthcheck.test[0]).toBe('CMD');
    expect(s.healthcheck.test.join(' ')).toContain(`fetch('http://127.0.0.1:${port}/health/ready'`);
    expect(s.user).toBe('10001:10001');
    expect(s.read_only).toBe(true);
    expect(s.depends_on).toEqual({ postgres: { condition: 'service_healthy' }, kafka: { condition: 'service_healthy' } });
    expect(s.ports).toBeUndefined(); // reached through the proxy only
  });

  it('publishes one port, the proxy, with deploy/proxy/nginx.conf', () => {
    const published = Object.entries(services).filter(([, s]) => (s as Obj).ports).map(([name]) => name);
    expect(published).toEqual(['proxy']);
    const proxy = services.proxy;
    expect(proxy.image).toMatch(/^nginxinc\/nginx-unprivileged:/);
    expect(proxy.volumes).toContain('./proxy/nginx.conf:/etc/nginx/conf.d/default.conf:ro');
    expect(interpolate(proxy.ports[0], {})).toBe('8080:8080');
    expect(Object.keys(proxy.depends_on).sort()).toEqual([...SERVICES].sort());
    expect(proxy.healthcheck.test.join(' ')).toContain('http://127.0.0.1:8080/healthz');
  });

  it('keeps secrets out of the repository: deploy/.env is ignored, .env.example leaves them empty', () => {
    expect(file('deploy/.gitignore').split('\n')).toContain('.env');
    const example = file('deploy/.env.example');
    for (const name of ['THIHANH_AUTH_KEYS', 'POSTGRES_PASSWORD', 'THIHANH_DB_PASSWORD']) expect(example).toMatch(new RegExp(`^${name}=$`, 'm'));
  });

  const docker = tool('docker', ['compose', 'version']);
  (docker.ok ? it : it.skip)(
    docker.ok
      ? '`docker compose config` accepts the file and resolves every service'
      : `\`docker compose config\` [skipped: the docker compose plugin is missing here — ${docker.out.trim().split('\n')[0] || 'docker not found'}]`,
    () => {
      const env = { ...process.env, ...TEST_ENV } as NodeJS.ProcessEnv;
      const result = spawnSync('docker', ['compose', '-f', path.join(ROOT, 'deploy/compose.yaml'), 'config', '--format', 'json'], { env, encoding: 'utf8' });
      expect(result.stderr).not.toMatch(/error/i);
      expect(result.status).toBe(0);
      const resolved = JSON.parse(result.stdout) as Obj;
      expect(Object.keys(resolved.services).sort()).toEqual(['kafka', 'postgres', 'proxy', ...SERVICES].sort());
      for (const service of SERVICES) expect(resolved.services[service].environment.THIHANH_AUTH_KEYS).toBe(TEST_ENV.THIHANH_AUTH_KEYS);
      const without = { ...env };
      delete without.THIHANH_AUTH_KEYS;
      const refused = spawnSync('docker', ['compose', '-f', path.join(ROOT, 'deploy/compose.yaml'), 'config'], { env: without, encoding: 'utf8' });
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toContain('THIHANH_AUTH_KEYS');
    },
  );
});

// ---------------------------------------------------------------------------------------------------
describe('deploy/proxy/nginx.conf', () => {
  const conf = file('deploy/proxy/nginx.conf');

  it.each(SERVICES)('sends /%s/… to that service and port, without the prefix', (service) => {
    const block = new RegExp(
      `location /${service}/ \\{\\s*set \\$thihanh_upstream ${service}:(\\d+);\\s*proxy_pass http://\\$thihanh_upstream\\$thihanh_upstream_uri;`,
    ).exec(conf);
    expect(block).not.toBeNull();
    expect(Number(block![1])).toBe(PORT_OF(service));
    const map = /map \$request_uri \$thihanh_upstream_uri \{\s*"~\^\/\(\?:([^)]+)\)\(\?<rest>\/\.\*\)\$" \$rest;/.exec(conf);
    expect(map![1].split('|').sort()).toEqual([...SERVICES].sort());
  });

  it('takes uploads of 10 MB (decree drafts) and listens on 8080 (non-root image)', () => {
    const size = /client_max_body_size (\d+)m;/.exec(conf);
    expect(Number(size![1])).toBeGreaterThanOrEqual(11);
    expect(conf).toMatch(/listen 8080;/);
  });

  const nginx = tool('nginx', ['-v']);
  (nginx.ok ? it : it.skip)(
    nginx.ok
      ? 'routes real requests through nginx to each service, prefix stripped, query and encoding kept'
      : '[skipped: nginx is not installed here (apt-get install nginx) — the routing is checked by reading the file only]',
    async () => {
      const seen: { service: string; url: string; headers: IncomingHttpHeaders }[] = [];
      const stubs: Server[] = [];
      const ports: Record<string, number> = {};
      for (const service of SERVICES) {
        const server = createServer((req, res) => {
          seen.push({ service, url: req.url!, headers: req.headers });
          res.setHeader('Location', '/somewhere');
          res.end(service);
        });
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        ports[service] = (server.address() as AddressInfo).port;
        stubs.push(server);
      }
      const free = createNetServer();
      await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
      const proxyPort = (free.address() as AddressInfo).port;
      await new Promise((resolve) => free.close(resolve));

      const dir = mkdtempSync(path.join(tmpdir(), 'thihanh-nginx-'));
      let site = conf.replace(/^resolver .*$/m, '').replace('listen 8080;', `listen 127.0.0.1:${proxyPort};`);
      for (const service of SERVICES) site = site.replace(`${service}:${PORT_OF(service)};`, `127.0.0.1:${ports[service]};`);
      writeFileSync(path.join(dir, 'site.conf'), site);
      const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${dir}/${t};`).join(' ');
      writeFileSync(
        path.join(dir, 'nginx.conf'),
        `daemon off; worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log warn;
events { worker_connections 64; }
http { access_log off; ${temp} include ${dir}/site.conf; }
`,
      );
      const proc = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: 'pipe' });
      let stderr = '';
      proc.stderr.on('data', (c) => (stderr += c));
      try {
        const base = `http://127.0.0.1:${proxyPort}`;
        for (let i = 0; ; i++) {
          if ((await fetch(`${base}/healthz`).catch(() => null))?.ok) break;
          if (i > 100 || proc.exitCode !== null) throw new Error(`nginx did not start: ${stderr}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        for (const service of SERVICES) {
          const res = await fetch(`${base}/${service}/health?q=%C3%A1&x=1`, { redirect: 'manual' });
          expect(await res.text()).toBe(service);
          expect(res.headers.get('location')).toBe(`/${service}/somewhere`);
          const last = seen[seen.length - 1];
          expect(last).toMatchObject({ service, url: '/health?q=%C3%A1&x=1' });
          expect(last.headers['x-forwarded-prefix']).toBe(`/${service}`);
          const bare = await fetch(`${base}/${service}`, { method: 'POST', redirect: 'manual' });
          expect([bare.status, bare.headers.get('location')]).toEqual([308, expect.stringMatching(new RegExp(`/${service}/$`))]);
        }
        expect((await fetch(`${base}/elsewhere/health`)).status).toBe(404);
        for (const hidden of ['/plan-registry/metrics', '/reporting/METRICS/', '/task-assignment//metrics', '/reporting/x/../metrics']) {
          expect([hidden, (await fetch(`${base}${hidden}`)).status]).toEqual([hidden, 404]);
        }
        expect(seen).toHaveLength(SERVICES.length);
      } finally {
        proc.kill('SIGTERM');
        if (proc.exitCode === null) await new Promise((resolve) => proc.once('exit', resolve));
        for (const server of stubs) await new Promise((resolve) => server.close(resolve));
        rmSync(dir, { recursive: true, force: true });
      }
    },
    30_000,
  );
});

// ---------------------------------------------------------------------------------------------------
describe('deploy/k8s', () => {
  const k8sDir = path.join(ROOT, 'deploy/k8s');
  const manifests = readdirSync(k8sDir).filter((f) => f.endsWith('.yaml'));
  const docs: { file: string; doc: Obj }[] = manifests.flatMap((f) =>
    parseAllDocuments(readFileSync(path.join(k8sDir, f), 'utf8')).map((d) => {
      if (d.errors.length) throw new Error(`${f}: ${d.errors.map((e) => e.message).join('; ')}`);
      return { file: f, doc: d.toJS() as Obj };
    }),
  );
  const resources = docs.filter((d) => d.doc.kind !== 'Kustomization');
  const find = (kind: string, name: string) => {
    const found = resources.find((r) => r.doc.kind === kind && r.doc.metadata.name === name);
    if (!found) throw new Error(`no ${kind} ${name} in deploy/k8s`);
    return found.doc;
  };
  const configMap = find('ConfigMap', 'thihanh-config');
  const secret = find('Secret', 'thihanh-secrets');
  const kustomization = docs.find((d) => d.doc.kind === 'Kustomization')!.doc;

  /** The environment Kubernetes would give the container, from env, envFrom and the objects defined here. */
  function containerEnv(container: Obj): Env {
    const env: Env = {};
    const source = (kind: string, name: string): Env => (kind === 'ConfigMap' ? find('ConfigMap', name).data : find('Secret', name).stringData);
    for (const from of container.envFrom ?? []) {
      if (from.configMapRef) Object.assign(env, source('ConfigMap', from.configMapRef.name));
      if (from.secretRef) Object.assign(env, source('Secret', from.secretRef.name));
    }
    for (const e of container.env ?? []) {
      if ('value' in e) env[e.name] = String(e.value);
      else if (e.valueFrom?.secretKeyRef) env[e.name] = source('Secret', e.valueFrom.secretKeyRef.name)[e.valueFrom.secretKeyRef.key];
      else if (e.valueFrom?.configMapKeyRef) env[e.name] = source('ConfigMap', e.valueFrom.configMapKeyRef.name)[e.valueFrom.configMapKeyRef.key];
      else throw new Error(`unsupported env entry ${JSON.stringify(e)}`);
    }
    return env;
  }

  it('has a Namespace, and every object in it; kustomization.yaml lists every manifest but the Secret template and the optional HTTPRoute', () => {
    expect(find('Namespace', 'thihanh').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    for (const r of resources.filter((r) => r.doc.kind !== 'Namespace')) expect([r.file, r.doc.metadata.namespace]).toEqual([r.file, 'thihanh']);
    expect(kustomization.namespace).toBe('thihanh');
    const listed = [...kustomization.resources].sort();
    expect(listed).toEqual(manifests.filter((f) => !['kustomization.yaml', 'secret.template.yaml', 'httproute.yaml'].includes(f)).sort());
  });

  it('ships the Secret as a template whose placeholders a service refuses (never a real secret)', () => {
    expect(secret.type).toBe('Opaque');
    for (const value of Object.values(secret.stringData as Record<string, string>)) expect(value).toContain('REPLACE_ME');
    expect(() => parseKeys(secret.stringData.THIHANH_AUTH_KEYS)).toThrow(/Invalid auth keys/);
    expect(Object.keys(secret.stringData).sort()).toEqual(['THIHANH_AUTH_KEYS', ...SERVICES.map((s) => `${s.toUpperCase().replace(/-/g, '_')}_DATABASE_URL`)].sort());
  });

  it.each(SERVICES)('deploys %s: its image, every setting of its config class from the ConfigMap and Secret, valid', (service) => {
    const deployment = find('Deployment', service);
    const [container] = deployment.spec.template.spec.containers;
    expect(deployment.spec.template.spec.containers).toHaveLength(1);
    expect(container.image).toMatch(new RegExp(`^ghcr\\.io/thihanh/${service}:[\\w.-]+$`));
    expect(kustomization.images).toContainEqual(expect.objectContaining({ name: `ghcr.io/thihanh/${service}` }));
    expect(container.envFrom).toContainEqual({ configMapRef: { name: 'thihanh-config' } });

    const env = containerEnv(container);
    const missing = requiredSettings(CONFIGS[service]).filter((name) => env[name] === undefined);
    expect(missing).toEqual([]);
    const config = loadConfig(CONFIGS[service], { ...env, THIHANH_AUTH_KEYS: TEST_ENV.THIHANH_AUTH_KEYS });
    expect(config.PORT).toBe(PORT_OF(service));
    expect(config.KAFKA_CONSUMER_GROUP).toBe(service);
    expect(new URL(config.DATABASE_URL).pathname).toBe(`/${DB_OF(service)}`);
    // Only its own database URL reaches the pod.
    expect(Object.keys(env).filter((k) => k.endsWith('_DATABASE_URL'))).toEqual([]);
  });

  it.each(SERVICES)('probes %s on /health/live and /health/ready at its port, runs it as non-root, sized for ≤ 200 MB resident', (service) => {
    const deployment = find('Deployment', service);
    const pod = deployment.spec.template.spec;
    const [container] = pod.containers;
    const port = PORT_OF(service);
    const portOf = (p: string | number) => (typeof p === 'number' ? p : container.ports.find((c: Obj) => c.name === p).containerPort);
    expect(container.ports.map((p: Obj) => p.containerPort)).toEqual([port]);
    // Kafka away must neither take the service out of rotation nor restart it: its events wait in its store.
    const paths = { startupProbe: '/health/live', readinessProbe: '/health/ready', livenessProbe: '/health/live' };
    for (const [probe, probePath] of Object.entries(paths)) {
      expect(container[probe].httpGet.path).toBe(probePath);
      expect(portOf(container[probe].httpGet.port)).toBe(port);
    }
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001 });
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(pod.securityContext.runAsUser).not.toBe(0);
    const { requests, limits } = container.resources;
    expect(mebibytes(requests.memory)).toBeLessThanOrEqual(200);
    expect(mebibytes(requests.memory)).toBeGreaterThanOrEqual(160); // rests at ~155 MB
    expect(mebibytes(limits.memory)).toBeGreaterThan(mebibytes(requests.memory));
    expect(requests.cpu).toBeDefined();
    const heap = /--max-old-space-size=(\d+)/.exec(configMap.data.NODE_OPTIONS);
    expect(Number(heap![1])).toBeLessThan(mebibytes(limits.memory));
  });

  it.each(SERVICES)('exposes %s through a Service selecting its pods on its port', (service) => {
    const deployment = find('Deployment', service);
    const svc = find('Service', service);
    const labels = deployment.spec.template.metadata.labels;
    for (const [k, v] of Object.entries(svc.spec.selector)) expect(labels[k]).toBe(v);
    expect(deployment.spec.selector.matchLabels).toEqual(svc.spec.selector);
    const [port] = svc.spec.ports;
    expect(port.port).toBe(PORT_OF(service));
    const container = deployment.spec.template.spec.containers[0];
    expect(container.ports.find((p: Obj) => p.name === port.targetPort || p.containerPort === port.targetPort).containerPort).toBe(PORT_OF(service));
  });

  it.each(SERVICES)('routes /%s/… through the Ingress to that Service, prefix stripped', (service) => {
    const ingress = find('Ingress', 'thihanh');
    const rewrite = ingress.metadata.annotations['nginx.ingress.kubernetes.io/rewrite-target'];
    const paths = ingress.spec.rules.flatMap((r: Obj) => r.http.paths);
    const routed = paths.filter((p: Obj) => new RegExp(`^${p.path}$`).test(`/${service}/health`));
    expect(routed).toHaveLength(1);
    const [route] = routed;
    expect(route.backend.service).toEqual({ name: service, port: { number: find('Service', service).spec.ports[0].port } });
    const m = new RegExp(`^${route.path}$`).exec(`/${service}/plans/1?x=1`)!;
    expect(`/${rewrite.replace(/^\//, '').replace(/\$(\d)/g, (_: string, i: string) => m[Number(i)])}`).toBe('/plans/1?x=1');
    expect(ingress.metadata.annotations['nginx.ingress.kubernetes.io/proxy-body-size']).toBe('11m');
  });

  it.each(SERVICES)('routes /%s/… through the HTTPRoute (Gateway API) too', (service) => {
    const route = find('HTTPRoute', 'thihanh');
    const rule = route.spec.rules.find((r: Obj) => r.matches.some((m: Obj) => m.path.value === `/${service}`));
    expect(rule.matches[0].path.type).toBe('PathPrefix');
    expect(rule.filters).toEqual([{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }]);
    expect(rule.backendRefs).toEqual([{ name: service, port: find('Service', service).spec.ports[0].port }]);
  });

  const kubectl = tool('kubectl', ['version', '--client']);
  (kubectl.ok ? it : it.skip)(
    kubectl.ok ? '`kubectl kustomize deploy/k8s` builds the manifests' : '`kubectl kustomize deploy/k8s` [skipped: kubectl is not installed here]',
    () => {
      const built = tool('kubectl', ['kustomize', k8sDir]);
      expect(built.ok).toBe(true);
      const objects = parseAllDocuments(built.out).map((d) => d.toJS() as Obj);
      expect(objects.filter((o) => o.kind === 'Deployment').map((o) => o.spec.template.spec.containers[0].image).sort()).toEqual(
        kustomization.images.map((i: Obj) => `${i.newName}:${i.newTag}`).sort(),
      );
    },
  );
});
