// The services as an operator runs them — one process each (`node services/<s>/src/main.ts`), each on
// a database of its own — so a fault test can kill one with SIGKILL, restart it, and point them at a
// broker or a database it can take away.
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { issueToken, Role } from '@thihanh/auth';
import { ServiceName } from '@thihanh/contracts';
import { databaseUrl, withAdminClient } from '@thihanh/testing';
import { Client } from 'pg';

const ROOT = path.resolve(__dirname, '../..');
const SECRET = '0123456789abcdef0123456789abcdef';
export const AUTH_KEYS = `fault:${SECRET}`;

export const bearer = (agencyId: string, ...roles: Role[]) =>
  `Bearer ${issueToken([{ kid: 'fault', secret: SECRET }], { agencyId, clientId: `${agencyId}-fault`, roles, ttlSeconds: 3600 })}`;

export class ServiceProcess {
  private child?: ChildProcess;
  private log = '';
  /** The PID of every process this service ran as, newest last. */
  readonly pids: number[] = [];

  constructor(
    readonly service: ServiceName,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines the service wrote (for a failing test's message). */
  output(chars = 4000): string {
    return this.log.slice(-chars);
  }

  /** Starts the process and resolves once its HTTP server answers (the broker may still be away). */
  async start(extraEnv: Record<string, string> = {}): Promise<void> {
    if (this.running) throw new Error(`${this.service} is already running`);
    const child = spawn(process.execPath, ['-r', '@swc-node/register', `services/${this.service}/src/main.ts`], {
      cwd: ROOT,
      env: { ...process.env, SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'), ...this.env, ...extraEnv, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.pids.push(child.pid!);
    const keep = (chunk: Buffer) => {
      this.log = (this.log + chunk.toString()).slice(-200_000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (!this.running) throw new Error(`${this.service} exited (${child.exitCode ?? child.signalCode}) while starting:\n${this.output()}`);
      const answered = await fetch(`${this.url}/health`).then(
        () => true,
        () => false,
      );
      if (answered) return;
      if (Date.now() > deadline) throw new Error(`${this.service} did not answer within 90 s:\n${this.output()}`);
      await sleep(200);
    }
  }

  /** Fails, with what the process wrote, if it is no longer running. */
  expectAlive(): void {
    if (!this.running) throw new Error(`${this.service} died (${this.child?.exitCode ?? this.child?.signalCode}):\n${this.output()}`);
  }

  /** Sends `signal` and waits for the process to be gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  /** Resolves once /health is 200: the database and the broker both answer. */
  async healthy(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = await fetch(`${this.url}/health`).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) return;
      if (Date.now() > deadline) throw new Error(`${this.service} not healthy within ${timeoutMs} ms (last ${status}):\n${this.output()}`);
      await sleep(250);
    }
  }
}

export interface ClusterOptions {
  services: ServiceName[];
  /** First HTTP port; the services take the next ones, in `services` order. */
  basePort: number;
  brokers: string;
  /** Per-service database URL override (e.g. through a proxy), else a database of its own on DATABASE_URL. */
  databaseUrlOf?: (service: ServiceName, direct: string) => string;
  env?: Record<string, string>;
}

/** Four (or fewer) services on fresh databases and a namespace of their own on the given broker. */
export class Cluster {
  readonly id = `f${process.pid}_${randomUUID().slice(0, 6)}`;
  readonly namespace = `fault-${this.id.replace(/_/g, "-")}`;
  readonly processes = new Map<ServiceName, ServiceProcess>();
  private readonly databases = new Map<ServiceName, string>();

  constructor(private readonly options: ClusterOptions) {}

  /** The service's own database, straight to PostgreSQL (not through any proxy). */
  directUrl(service: ServiceName): string {
    const url = this.databases.get(service);
    if (!url) throw new Error(`No database for ${service}`);
    return url;
  }

  get(service: ServiceName): ServiceProcess {
    const process = this.processes.get(service);
    if (!process) throw new Error(`${service} is not in this cluster`);
    return process;
  }

  async start(): Promise<void> {
    const base = new URL(databaseUrl()!);
    await withAdminClient(async (admin) => {
      for (const service of this.options.services) {
        const name = `thihanh_${this.id}_${service.replace(/-/g, '_')}`;
        await admin.query(`CREATE DATABASE ${name}`);
        const url = new URL(base);
        url.pathname = `/${name}`;
        this.databases.set(service, url.toString());
      }
    });
    for (const [i, service] of this.options.services.entries()) {
      const direct = this.directUrl(service);
      this.processes.set(
        service,
        new ServiceProcess(service, this.options.basePort + i, {
          DATABASE_URL: this.options.databaseUrlOf?.(service, direct) ?? direct,
          KAFKA_BROKERS: this.options.brokers,
          KAFKA_TOPIC_NAMESPACE: this.namespace,
          KAFKA_TOPIC_PARTITIONS: '3',
          THIHANH_AUTH_KEYS: AUTH_KEYS,
          LOG_LEVEL: 'warn',
          SEAL_INTERVAL_MS: '1000',
          ...this.options.env,
        }),
      );
    }
    // One at a time: two services compiling at once on two cores only slows both.
    for (const p of this.processes.values()) await p.start();
  }

  async stop(): Promise<void> {
    for (const p of this.processes.values()) await p.kill('SIGKILL');
    await withAdminClient(async (admin) => {
      for (const url of this.databases.values()) await admin.query(`DROP DATABASE IF EXISTS ${new URL(url).pathname.slice(1)} WITH (FORCE)`);
    });
  }

  /** Runs `work` with a client on a service's own database (straight to PostgreSQL). */
  async sql<T>(service: ServiceName, work: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client({ connectionString: this.directUrl(service) });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  /** Everything the services wrote, for a failing test's message. */
  output(): string {
    return [...this.processes.values()].map((p) => `--- ${p.service} ---\n${p.output(3000)}`).join('\n');
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Imports a seed plan (test/fixtures/plans) into the plan registry and issues it; returns its id. */
export async function issueSeedPlan(registry: ServiceProcess, file: string, number: string, operator: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([readFileSync(path.join(ROOT, 'test/fixtures/plans', file))]), file);
  const imported = await fetch(`${registry.url}/plans/import`, { method: 'POST', headers: { authorization: operator }, body: form });
  if (imported.status !== 201) throw new Error(`import ${file}: ${imported.status} ${await imported.text()}`);
  const { planId } = (await imported.json()) as { planId: string };
  const issued = await fetch(`${registry.url}/plans/${planId}/issue`, {
    method: 'POST',
    headers: { authorization: operator, 'content-type': 'application/json' },
    body: JSON.stringify({ number, issuedOn: '2026-04-20' }),
  });
  if (issued.status !== 200) throw new Error(`issue ${file}: ${issued.status} ${await issued.text()}`);
  return planId;
}
