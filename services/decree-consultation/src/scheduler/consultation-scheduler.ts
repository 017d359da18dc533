import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CLOCK, Clock, vietnamDay } from '@thihanh/domain';
import { AggregateRepository, Database, PostgresEventStore } from '@thihanh/event-store';
import { BackgroundWorkers, DATABASE, EVENT_STORE, PeriodicJob, saveWhatTheDayCallsFor, SERVICE_CONFIG, ServiceConfig, withAdvisoryLock } from '@thihanh/platform';
import { Consultation } from '../consultation/consultation.aggregate';
import { consultationRepository } from '../consultation/consultation.repository';

const SCHEDULER_LOCK = 0x7468_4463; // one consultation scheduler at a time across instances

/**
 * Reminders before a consultation's deadline to the agencies that have not answered, and the list of
 * those who never did once it passes. Keeps no state: each consultation's log says which reminders it
 * already had, so a restart or a second instance sends none twice. Tests call `tick()` with an
 * injected clock instead of waiting.
 */
@Injectable()
export class ConsultationScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ConsultationScheduler.name);
  private readonly job: PeriodicJob;
  private readonly consultations: AggregateRepository<Consultation>;

  constructor(
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
    @Inject(DATABASE) private readonly db: Database,
    @Inject(EVENT_STORE) store: PostgresEventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly workers: BackgroundWorkers,
  ) {
    this.job = new PeriodicJob(() => this.tick(), config.SCHEDULER_INTERVAL_MS, (error) => this.logger.warn(`scheduler: ${String(error)}`));
    this.consultations = consultationRepository(store);
  }

  onApplicationBootstrap(): void {
    this.job.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.job.stop();
  }

  /** Open consultations whose deadline is within a week or past: each decides what it still owes. */
  tick(): Promise<{ reminded: number } | null> {
    return withAdvisoryLock(this.db, SCHEDULER_LOCK, async () => {
      const today = vietnamDay(this.clock.now());
      const { rows } = await this.db.query<{ consultation_id: string }>(
        `SELECT consultation_id FROM consultations WHERE status = 'open' AND deadline <= $1::date + 7`,
        [today],
      );
      const ids = rows.map((row) => row.consultation_id);
      const reminded = await saveWhatTheDayCallsFor(this.consultations, ids, today, (consultation) => consultation.checkDeadline(today));
      if (reminded) {
        this.logger.log(`scheduler: ${reminded} consultations reminded`);
        this.workers.poke();
      }
      return { reminded };
    });
  }
}
