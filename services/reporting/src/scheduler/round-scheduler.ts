import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CLOCK, Clock, vietnamDay } from '@thihanh/domain';
import { AggregateRepository, Database, PostgresEventStore } from '@thihanh/event-store';
import { BackgroundWorkers, DATABASE, EVENT_STORE, PeriodicJob, saveWhatTheDayCallsFor, SERVICE_CONFIG, ServiceConfig, withAdvisoryLock } from '@thihanh/platform';
import { PeriodicRounds } from '../round/periodic-rounds';
import { ReportingRound } from '../round/round.aggregate';
import { roundRepository } from '../round/round.repository';

const SCHEDULER_LOCK = 0x7468_5270; // one reporting scheduler at a time across instances

/**
 * Opens the rounds the plans' rules call for, reminds agencies that have not reported (7 and 1 days
 * before the due day) and lists the late ones on the day. Keeps no state: each round's log says
 * what it already sent. Tests call `tick()` with an injected clock.
 */
@Injectable()
export class RoundScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RoundScheduler.name);
  private readonly job: PeriodicJob;
  private readonly rounds: AggregateRepository<ReportingRound>;

  constructor(
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
    @Inject(DATABASE) private readonly db: Database,
    @Inject(EVENT_STORE) store: PostgresEventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly periodic: PeriodicRounds,
    private readonly workers: BackgroundWorkers,
  ) {
    this.job = new PeriodicJob(() => this.tick(), config.SCHEDULER_INTERVAL_MS, (error) => this.logger.warn(`scheduler: ${String(error)}`));
    this.rounds = roundRepository(store);
  }

  onApplicationBootstrap(): void {
    this.job.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.job.stop();
  }

  tick(): Promise<{ opened: number; reminded: number } | null> {
    return withAdvisoryLock(this.db, SCHEDULER_LOCK, async () => {
      const today = vietnamDay(this.clock.now());
      const opened = await this.periodic.openDue(today, `scheduler:${today}`);
      const { rows } = await this.db.query<{ round_id: string; submitted: string[] }>(
        `SELECT r.round_id, coalesce(array_agg(a.agency_id) FILTER (WHERE a.submitted_at IS NOT NULL), '{}') AS submitted
           FROM rp_rounds r LEFT JOIN rp_agency_reports a ON a.round_id = r.round_id
          WHERE r.status = 'open' AND r.due_before <= $1::date + 7 GROUP BY r.round_id`,
        [today],
      );
      const submitted = new Map(rows.map((row) => [row.round_id, new Set(row.submitted)]));
      const reminded = await saveWhatTheDayCallsFor(this.rounds, submitted.keys(), today, (round) => round.checkDue(today, submitted.get(round.id) ?? new Set()));
      if (opened || reminded) {
        this.logger.log(`scheduler: ${opened} rounds opened, ${reminded} reminded`);
        this.workers.poke();
      }
      return { opened, reminded };
    });
  }
}
