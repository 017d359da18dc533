import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CLOCK, Clock, vietnamDay } from '@thihanh/domain';
import { AggregateRepository, Database, PostgresEventStore } from '@thihanh/event-store';
import { BackgroundWorkers, DATABASE, EVENT_STORE, PeriodicJob, saveWhatTheDayCallsFor, SERVICE_CONFIG, ServiceConfig, withAdvisoryLock } from '@thihanh/platform';
import { Assignment } from '../assignment/assignment.aggregate';
import { assignmentRepository } from '../assignment/assignment.repository';
import { OpenPlanCases } from '../fan-out/open-plan-cases';

const SCHEDULER_LOCK = 0x7468_5363; // one scheduler at a time across instances

/**
 * What happens because time passes: a new year opens the recurring tasks' next cycle; cases near or
 * past their due date get due-soon (7 and 1 days), overdue and escalation events. Durable by
 * construction: it keeps no state of its own — each case's log says which reminders it already had —
 * so a restart (or a second instance) never sends one twice. `tick()` is what tests call, with an
 * injected clock, instead of waiting.
 */
@Injectable()
export class CaseScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(CaseScheduler.name);
  private readonly job: PeriodicJob;

  private readonly assignments: AggregateRepository<Assignment>;

  constructor(
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
    @Inject(DATABASE) private readonly db: Database,
    @Inject(EVENT_STORE) store: PostgresEventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly openCases: OpenPlanCases,
    private readonly workers: BackgroundWorkers,
  ) {
    this.job = new PeriodicJob(() => this.tick(), config.SCHEDULER_INTERVAL_MS, (error) => this.logger.warn(`scheduler: ${String(error)}`));
    this.assignments = assignmentRepository(store);
  }

  onApplicationBootstrap(): void {
    this.job.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.job.stop();
  }

  tick(): Promise<{ opened: number; reminded: number } | null> {
    return withAdvisoryLock(this.db, SCHEDULER_LOCK, async () => {
      const opened = await this.openCases.openNewCycles();
      const reminded = await this.checkDeadlines();
      if (opened || reminded) {
        this.logger.log(`scheduler: ${opened} cases opened, ${reminded} cases reminded`);
        this.workers.poke();
      }
      return { opened, reminded };
    });
  }

  /** Cases due within a week or past due, still open: each decides which reminders it still owes. */
  private async checkDeadlines(): Promise<number> {
    const today = vietnamDay(this.clock.now());
    const { rows } = await this.db.query<{ assignment_id: string }>(
      `SELECT assignment_id FROM assignment_cases
        WHERE status NOT IN ('waiting', 'submitted', 'accepted', 'cancelled') AND due_before <= $1::date + 7`,
      [today],
    );
    const ids = rows.map((row) => row.assignment_id);
    return saveWhatTheDayCallsFor(this.assignments, ids, today, (assignment) => assignment.checkDeadlines(today));
  }
}
