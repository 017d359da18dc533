import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Database } from '@thihanh/event-store';
import { BackgroundWorkers, DATABASE } from '@thihanh/platform';
import { OpenPlanCases } from '../fan-out/open-plan-cases';

const SCHEDULER_LOCK = 0x7468_5363; // one scheduler at a time across instances

/**
 * What happens because time passes: a new year opens the recurring tasks' next cycle. Durable by
 * construction: it keeps no state of its own, only acts on what the log says is missing, so a
 * restart (or a second instance) never does anything twice. `tick()` is what tests call, with an
 * injected clock, instead of waiting.
 */
@Injectable()
export class CaseScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(CaseScheduler.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly openCases: OpenPlanCases,
    private readonly workers: BackgroundWorkers,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.tick()
        .catch((error) => this.logger.warn(`scheduler: ${String(error)}`))
        .finally(() => (this.running = undefined));
    }, 60_000);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async tick(): Promise<{ opened: number } | null> {
    const lock = await this.db.connect();
    try {
      const { rows } = await lock.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock($1) AS ok`, [SCHEDULER_LOCK]);
      if (!rows[0].ok) return null;
      try {
        const opened = await this.openCases.openNewCycles();
        if (opened) {
          this.logger.log(`new cycle: ${opened} cases opened`);
          this.workers.poke();
        }
        return { opened };
      } finally {
        await lock.query(`SELECT pg_advisory_unlock($1)`, [SCHEDULER_LOCK]);
      }
    } finally {
      lock.release();
    }
  }
}
