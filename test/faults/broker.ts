// A Kafka broker of the test's own (scripts/kafka.sh with its own folder and ports), so a fault test can
// take it away and bring it back without touching the broker other suites use.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const run = promisify(execFile);

export class PrivateBroker {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'thihanh-broker-'));

  constructor(
    readonly port: number,
    private readonly controllerPort = port + 1,
  ) {
    // The jars are already resolved for the shared broker: reuse its classpath instead of asking Maven again.
    const shared = path.join(ROOT, '.kafka/classpath.txt');
    if (existsSync(shared)) copyFileSync(shared, path.join(this.dir, 'classpath.txt'));
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Starts it (formatting its store the first time) and resolves once it serves. */
  start(): Promise<void> {
    return this.script('start');
  }

  /** Kills the broker process outright (SIGKILL), as a crash or a pulled plug would. */
  async kill(): Promise<void> {
    const pid = Number(readFileSync(path.join(this.dir, 'broker.pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 100; i++) {
      try {
        process.kill(pid, 0);
      } catch {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`broker pid ${pid} still alive after SIGKILL`);
  }

  /** Stops it if it runs and removes its store. */
  async remove(): Promise<void> {
    await this.script('stop');
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async script(command: string): Promise<void> {
    const env = { ...process.env, THIHANH_KAFKA_DIR: this.dir, KAFKA_PORT: String(this.port), KAFKA_CONTROLLER_PORT: String(this.controllerPort), KAFKA_HEAP: '384m' };
    try {
      await run('bash', [path.join(ROOT, 'scripts/kafka.sh'), command], { env });
    } catch (error) {
      const e = error as { code?: number; stderr?: string; stdout?: string };
      throw new Error(`kafka.sh ${command} failed (${e.code}):\n${e.stderr}\n${e.stdout}`);
    }
  }
}
