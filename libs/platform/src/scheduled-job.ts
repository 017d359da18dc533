import { SYSTEM_ACTOR } from '@thihanh/contracts';
import { ConcurrencyError, DomainEvent, EventSourcedAggregate, uuidv7 } from '@thihanh/domain';
import { AggregateRepository, Database } from '@thihanh/event-store';

/**
 * Runs `work` only if this process takes the PostgreSQL advisory lock `key` (one instance at a time
 * across the deployment); null when another instance holds it. The lock is on its own connection, so
 * the work may open transactions of its own.
 */
export async function withAdvisoryLock<T>(db: Database, key: number, work: () => Promise<T>): Promise<T | null> {
  const lock = await db.connect();
  try {
    const { rows } = await lock.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock($1) AS ok`, [key]);
    if (!rows[0].ok) return null;
    try {
      return await work();
    } finally {
      await lock.query(`SELECT pg_advisory_unlock($1)`, [key]);
    }
  } finally {
    lock.release();
  }
}

/**
 * Calls `run` every `everyMs` (never, if 0), never twice at once; `stop` waits for a run under way.
 * Does not keep the process alive.
 */
export class PeriodicJob {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly run: () => Promise<unknown>,
    private readonly everyMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    if (this.everyMs <= 0) return;
    this.timer = setInterval(() => {
      this.running ??= this.run()
        .catch(this.onError)
        .finally(() => (this.running = undefined));
    }, this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}

/**
 * What a scheduler does on `day` to each aggregate it found due: loads it, lets `decide` raise what the
 * day calls for (reminders, overdue notices — the aggregate's log says what it already had), and saves
 * those as the system, all under one run id. One that someone changed meanwhile is left to the next
 * tick. Returns how many were saved.
 */
export async function saveWhatTheDayCallsFor<A extends EventSourcedAggregate<DomainEvent>>(
  repository: AggregateRepository<A>,
  ids: Iterable<string>,
  day: string,
  decide: (aggregate: A) => void,
): Promise<number> {
  const metadata = { actor: SYSTEM_ACTOR, correlationId: `scheduler:${day}`, causationId: uuidv7() };
  let saved = 0;
  for (const id of ids) {
    const aggregate = await repository.load(id);
    decide(aggregate);
    if (aggregate.pendingEvents.length === 0) continue;
    try {
      await repository.save(aggregate, metadata);
      saved += 1;
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
    }
  }
  return saved;
}
