import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { issueToken, parseKeys, Role } from '@thihanh/auth';
import { compile, CompiledTree, serviceEnv } from '../../test/deploy/compiled';
import { log } from './report';

/** Starting, watching and stopping what the system figures run: the four services as processes, or the embedded system. */

export const ROOT = path.resolve(__dirname, '../..');
export const SERVICES = ['plan-registry', 'task-assignment', 'decree-consultation', 'reporting'] as const;
export type Service = (typeof SERVICES)[number];

export const AUTH_KEYS = `bench:${randomBytes(32).toString('hex')}`;
const keys = parseKeys(AUTH_KEYS);
const tokens = new Map<string, string>();
/** A bearer token for an agency's client with the given role (cached: one per agency and role). */
export function bearer(agencyId: string, role: Role): string {
  const key = `${agencyId}/${role}`;
  let token = tokens.get(key);
  if (!token) {
    token = `Bearer ${issueToken(keys, { agencyId, clientId: `bench-${role}`, roles: [role], ttlSeconds: 4 * 3600 })}`;
    tokens.set(key, token);
  }
  return token;
}

/** What a running child is made of, for RSS and CPU readings from /proc. */
export interface Proc {
  name: string;
  child: ChildProcess;
  output: () => string;
}

export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100 on Linux)
}

export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

const children = new Set<ChildProcess>();
// Whatever ends the bench (a failure included), no service it started outlives it.
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Fails if something already listens on a port the bench is about to use (it would answer in the service's place). */
export async function assertPortsFree(ports: number[]): Promise<void> {
  for (const port of ports) {
    const answered = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) }).then(() => true, () => false);
    if (answered) throw new Error(`Port ${port} is already in use; set BENCH_PORT to a free range`);
  }
}

function spawnChild(name: string, args: string[], env: NodeJS.ProcessEnv, ipc = false): Proc {
  let output = '';
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? ['ipc' as const] : [])] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { name, child, output: () => output };
}

export async function stopChild(proc: Proc, timeoutMs = 20_000): Promise<void> {
  const { child } = proc;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

export async function waitFor<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, everyMs = 100, alive?: () => void): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    alive?.();
    last = await probe().catch(() => undefined);
    if (last !== undefined && done(last)) return last;
    if (performance.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what} (last: ${JSON.stringify(last)?.slice(0, 300)})`);
    await sleep(everyMs);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The four services as separate processes on scratch databases and a namespace of the shared broker. */
export interface Distributed {
  form: 'compiled' | 'swc';
  procs: Record<Service, Proc>;
  urls: Record<Service, string>;
  databases: Record<Service, string>;
  stop(): Promise<void>;
}

export interface DistributedOptions {
  adminUrl: string;
  brokers: string;
  basePort: number;
  /** `compiled`: deploy/docker/build.mjs output run with `node dist/main.js` (what the images run); `swc`: `node -r @swc-node/register`. */
  form: 'compiled' | 'swc';
  /** Services to load tools/bench/system-profiler.cjs into (CPU profiles of chosen phases, written to `profileDir`). */
  profile: string[];
  profileDir: string;
}

export async function startDistributed(options: DistributedOptions): Promise<Distributed> {
  const run = `${process.pid}_${Date.now().toString(36)}`;
  const namespace = `bench-${run.replace(/_/g, '-')}`;
  const databases = Object.fromEntries(SERVICES.map((s) => [s, `thihanh_bench_sys_${run}_${s.replace(/-/g, '_')}`])) as Record<Service, string>;
  await assertPortsFree(SERVICES.map((_, i) => options.basePort + i));
  const admin = new Client({ connectionString: options.adminUrl });
  await admin.connect();
  const procs: Partial<Record<Service, Proc>> = {};
  let tree: CompiledTree | undefined;
  const stop = async () => {
    await Promise.all(Object.values(procs).map((p) => stopChild(p!)));
    for (const name of Object.values(databases)) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch((e) => log(`drop ${name}: ${String(e)}`));
    await admin.end().catch(() => undefined);
    await deleteKafkaNamespace(options.brokers, namespace).catch((e) => log(`kafka cleanup of ${namespace}: ${String(e)}`));
    tree?.remove();
    log(`stopped the services, dropped ${Object.values(databases).join(', ')}, deleted topics ${namespace}.*`);
  };
  try {
    for (const name of Object.values(databases)) await admin.query(`CREATE DATABASE ${name}`);
    if (options.form === 'compiled') {
      tree = compile(); // deploy/docker/build.mjs, as the Dockerfile runs it
    }
    if (options.profile.length) mkdirSync(options.profileDir, { recursive: true });
    const urls = {} as Record<Service, string>;
    for (const [i, service] of SERVICES.entries()) {
      const port = options.basePort + i;
      urls[service] = `http://127.0.0.1:${port}`;
      const db = new URL(options.adminUrl);
      db.pathname = `/${databases[service]}`;
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        ...serviceEnv({ service, port, databaseUrl: db.toString(), brokers: options.brokers, namespace, authKeys: AUTH_KEYS }),
      };
      const prof = options.profile.includes(service) ? ['-r', path.join(__dirname, 'system-profiler.cjs')] : [];
      if (prof.length) env['BENCH_PROFILE_PREFIX'] = path.join(options.profileDir, `${service}-${run}`);
      procs[service] =
        options.form === 'compiled'
          ? // As the image runs it (deploy/docker/Dockerfile CMD, compose.yaml's NODE_OPTIONS).
            spawnChild(service, [...prof, '--max-old-space-size=192', '--enable-source-maps', path.join(tree!.dir, 'main.js')], {
              ...env,
              NODE_ENV: 'production',
              ...tree!.env,
              THIHANH_SERVICE: service,
            }, prof.length > 0)
          : // As scripts/start-distributed.mjs runs it.
            spawnChild(service, [...prof, '-r', '@swc-node/register', `services/${service}/src/main.ts`], { ...env, SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') }, prof.length > 0);
    }
    for (const service of SERVICES) {
      const proc = procs[service]!;
      await waitFor(
        `${service} to be healthy`,
        async () => (await fetch(`${urls[service]}/health`)).status,
        (status) => status === 200,
        120_000,
        250,
        () => {
          if (proc.child.exitCode !== null) throw new Error(`${service} exited (${proc.child.exitCode}):\n${proc.output().slice(-3000)}`);
        },
      );
    }
    return { form: options.form, procs: procs as Record<Service, Proc>, urls, databases, stop };
  } catch (error) {
    for (const p of Object.values(procs)) if (p!.child.exitCode === null) process.stderr.write(`[bench] ${p!.name} output:\n${p!.output().slice(-2000)}\n`);
    await stop();
    throw error;
  }
}

async function deleteKafkaNamespace(brokers: string, namespace: string): Promise<void> {
  const kafka = new Kafka({ clientId: 'bench-cleanup', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${namespace}.`));
    if (topics.length) await admin.deleteTopics({ topics, timeout: 30_000 });
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(`${namespace}.`));
    if (groups.length) await admin.deleteGroups(groups).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}

/** `npm start` as a child with its own data folder: the four services in one process on PGlite, the in-process bus. */
export interface Embedded {
  proc: Proc;
  urls: Record<Service, string>;
  stop(): Promise<void>;
}

export async function startEmbedded(basePort: number): Promise<Embedded> {
  await assertPortsFree(SERVICES.map((_, i) => basePort + i + 1));
  const dataDir = mkdtempSync(path.join(tmpdir(), 'thihanh-bench-embedded-'));
  const proc = spawnChild('embedded', ['-r', '@swc-node/register', 'tools/embedded/main.ts'], {
    PATH: process.env.PATH,
    SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'),
    THIHANH_DATA_DIR: dataDir,
    THIHANH_PORT: String(basePort),
    THIHANH_EXAMPLES: 'false',
    THIHANH_AUTH_KEYS: AUTH_KEYS,
    LOG_LEVEL: 'warn',
  });
  const stop = async () => {
    await stopChild(proc);
    if (existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitFor('the embedded system to start', async () => proc.output(), (out) => out.includes('operator token'), 180_000, 200, () => {
      if (proc.child.exitCode !== null) throw new Error(`the embedded system exited (${proc.child.exitCode}):\n${proc.output().slice(-3000)}`);
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const urls = Object.fromEntries(SERVICES.map((s, i) => [s, `http://127.0.0.1:${basePort + i + 1}`])) as Record<Service, string>;
  return { proc, urls, stop };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

/**
 * Profiles `work` in the processes loaded with the profiler (SIGUSR2 starts, SIGUSR2 writes), then
 * logs each one's busiest functions (self time) and where its time went by package or folder.
 */
export async function profiled<T>(procs: Proc[], phase: string, work: () => Promise<T>): Promise<T> {
  if (!procs.length) return work();
  const ask = (p: Proc, message: string) =>
    new Promise<string>((resolve) => {
      p.child.once('message', (m: { profile: string }) => resolve(m.profile));
      p.child.send(message);
    });
  await Promise.all(procs.map((p) => ask(p, 'profile:start')));
  try {
    return await work();
  } finally {
    for (const p of procs) {
      const file = await ask(p, 'profile:stop');
      if (file.startsWith('error')) log(`profile of ${p.name} (${phase}): ${file}`);
      else {
        const target = path.join(path.dirname(file), `${phase}-${path.basename(file)}`);
        renameSync(file, target);
        log(`profile of ${p.name} during ${phase}: ${target}\n${summarize(JSON.parse(readFileSync(target, 'utf8')))}`);
      }
    }
  }
}

function summarize(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }, top = 15): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const area = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const file = url.replace(/^file:\/\//, '');
    const where = file.includes('node_modules/') ? file.slice(file.lastIndexOf('node_modules/') + 13) : path.relative(ROOT, file) || file;
    self.set(`${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`, (self.get(`${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`) ?? 0) + dt);
    const bucket = !url ? functionName || '(native)' : file.includes('node_modules/') ? where.split('/').slice(0, where.startsWith('@') ? 2 : 1).join('/') : where.startsWith('node:') ? 'node internals' : where.split('/').slice(0, 4).join('/');
    area.set(bucket, (area.get(bucket) ?? 0) + dt);
  });
  const pct = (n: number) => `${((100 * n) / total).toFixed(1)}%`.padStart(6);
  const lines = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => `  ${pct(v)}  ${k}`);
  return [`  ${(total / 1e6).toFixed(2)} s sampled; self time by function:`, ...lines(self), '  by area:', ...lines(area)].join('\n');
}
