import { EventEnvelope } from '@thihanh/contracts';
import { CatchUpSubscription } from './catch-up-subscription';
import { SqlClient } from './database';
import { PostgresEventStore, START } from './event-store';
import { lockCheckpoint, saveCheckpoint } from './catch-up-subscription';

/**
 * A read model: ordinary tables written from the log. `apply` must be idempotent per event and only
 * write through `tx` (the checkpoint commits with it); `reset` empties its tables for a rebuild.
 */
export interface Projection {
  readonly name: string;
  /** Event types it reads; others are skipped without a call. */
  readonly handles: readonly string[];
  apply(event: EventEnvelope, tx: SqlClient): Promise<void>;
  /**
   * Optional: applies a batch of the events it handles (in commit order, never empty) with a few
   * set-based statements instead of a round trip per event. It must leave the tables exactly as
   * `apply` on each event in turn would; `apply` stays the reference (audits replay through it).
   * When present, ProjectionRunner calls it instead of `apply`.
   */
  applyBatch?(events: EventEnvelope[], tx: SqlClient): Promise<void>;
  reset(tx: SqlClient): Promise<void>;
  /** The tables it writes (unqualified): auditors replay it into fresh copies of them and compare. */
  readonly tables?: readonly string[];
}

/** Keeps one projection up to date from its service's own log, in commit order, exactly once. */
export class ProjectionRunner {
  private readonly subscription: CatchUpSubscription;

  constructor(
    private readonly store: PostgresEventStore,
    private readonly projection: Projection,
    options: { batchSize?: number; idleMs?: number; onError?: (error: unknown, attempt: number) => void } = {},
  ) {
    const handles = new Set(projection.handles);
    this.subscription = new CatchUpSubscription(store, {
      name: `projection:${projection.name}`,
      transactional: true,
      batchSize: options.batchSize ?? 500,
      idleMs: options.idleMs ?? 20,
      onError: options.onError,
      handle: async (events, tx) => {
        const handled = events.filter((event) => handles.has(event.type));
        if (projection.applyBatch) {
          if (handled.length) await projection.applyBatch(handled, tx!);
          return;
        }
        for (const event of handled) await projection.apply(event, tx!);
      },
    });
  }

  private running = false;

  start(): void {
    this.running = true;
    this.subscription.start();
  }

  poke(): void {
    this.subscription.poke();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.subscription.stop();
  }

  /** Resolves when everything committed before the call is in the projection (read-your-writes, tests). */
  async catchUp(): Promise<void> {
    if (this.running) await this.subscription.caughtUp();
    else await this.subscription.drain();
  }

  /** Empties the projection's tables and replays the whole log into them; returns the events read. */
  async rebuild(): Promise<number> {
    const wasRunning = this.running;
    if (wasRunning) await this.stop();
    try {
      await this.store.db.transaction(async (tx) => {
        await lockCheckpoint(tx, `projection:${this.projection.name}`);
        await this.projection.reset(tx);
        await saveCheckpoint(tx, `projection:${this.projection.name}`, START);
      });
      return await this.subscription.drain();
    } finally {
      if (wasRunning) this.start();
    }
  }
}
