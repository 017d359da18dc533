import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '../..');

/** `npm start` as a newcomer runs it: one process, no PostgreSQL, no Kafka — only a data folder. */
function start(dataDir: string, port: number): Promise<{ child: ChildProcess; output: () => string; token: string }> {
  const child = spawn('npm', ['start', '--silent'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: '', KAFKA_BROKERS: '', THIHANH_DATA_DIR: dataDir, THIHANH_PORT: String(port), NODE_OPTIONS: '' },
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The embedded system did not start within 120 s:\n${output}`)), 120_000);
    child.on('exit', (code) => reject(new Error(`The embedded system exited (${code}):\n${output}`)));
    const check = setInterval(() => {
      const token = /operator token \(30 days\):\n {2}(\S+)/.exec(output)?.[1];
      if (!token) return;
      clearInterval(check);
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({ child, output: () => output, token });
    }, 100);
  });
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid!, 'SIGTERM');
  await exited;
}

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const value = await probe().catch(() => undefined as T);
    if (value !== undefined && done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}: ${JSON.stringify(value)?.slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('npm start: the whole system in one process, with no external service', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'thihanh-embedded-'));
  // Below Linux's ephemeral range (32768+), where outgoing connections could already hold the port.
  const port = 20000 + Math.floor(Math.random() * 600) * 5;
  const url = (offset: number, route: string) => `http://127.0.0.1:${port + offset}${route}`;
  let running: ChildProcess | undefined;

  afterAll(async () => {
    if (running) await stop(running);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loads the two example plans on first start, runs every service on them, and keeps the data across a restart', async () => {
    const first = await start(dataDir, port);
    running = first.child;
    const auth = { authorization: `Bearer ${first.token}` };
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of four APIs, checked field by field below
    const get = async (offset: number, route: string): Promise<any> => {
      const response = await fetch(url(offset, route), { headers: auth });
      if (!response.ok) throw new Error(`${route}: ${response.status}`);
      return response.json();
    };
    expect(first.output()).toMatch(/example plans loaded: 215\/KH-UBND \([0-9a-f-]+\), 125\/KH-UBND \([0-9a-f-]+\)/);
    expect(first.output()).toContain(`plan-registry        ${url(1, '/docs')}`);
    const plans = (await get(1, '/plans')).items as { planId: string; province: string; status: string }[];
    expect(plans.map((p) => [p.province, p.status]).sort()).toEqual([['bac-ninh', 'issued'], ['son-la', 'issued']]);
    // Every service took the plans in, through the in-process bus.
    for (const [province, cases] of [['son-la', 1251], ['bac-ninh', 632]] as const) {
      const planId = plans.find((p) => p.province === province)!.planId;
      await until(() => get(2, `/plans/${planId}/board`), (board) => board.cases === cases, `${province}'s ${cases} cases`);
    }
    await until(() => get(3, '/consultations'), (list) => list.items.length === 20, 'the 20 consultations');
    // Reporting takes the cases in one event at a time: wait for all of them, not the first.
    const expected = plans[0].province === 'son-la' ? 1251 : 632;
    const figures = await until(() => get(4, `/plans/${plans[0].planId}/figures`), (f) => f.figures.total === expected, `reporting’s ${expected} cases`);
    expect(figures.figures.total).toBe(expected);
    expect((await fetch(url(1, '/openapi.json'))).status).toBe(200);
    const keys = readFileSync(path.join(dataDir, 'auth-keys'), 'utf8');

    await stop(first.child);
    running = undefined;
    const second = await start(dataDir, port);
    running = second.child;
    expect(second.output()).not.toContain('example plans loaded');
    expect(readFileSync(path.join(dataDir, 'auth-keys'), 'utf8')).toBe(keys);
    const again = { authorization: `Bearer ${second.token}` };
    const after = ((await (await fetch(url(1, '/plans'), { headers: again })).json()) as { items: { planId: string }[] }).items;
    expect(after.map((p: { planId: string }) => p.planId).sort()).toEqual(plans.map((p) => p.planId).sort());
    // The first start's token still works: the signing key was kept.
    expect((await fetch(url(3, '/consultations'), { headers: auth })).status).toBe(200);
    // Replayed to the in-process bus on start, the log opens nothing twice.
    const consultations = await until(
      async () => ((await (await fetch(url(3, '/consultations'), { headers: again })).json()) as { items: unknown[] }).items,
      (items) => items.length === 20,
      'the consultations',
    );
    expect(consultations).toHaveLength(20);
  }, 300_000);
});
