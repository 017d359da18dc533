import { EventEnvelope } from '@thihanh/contracts';
import { Database, DedicatedConnection, SqlClient } from './database';
import { Checkpoint, EventBatch, PostgresEventStore, START, checkpointOf, compareCheckpoints } from './event-store';
import { inUnitOfWork } from './unit-of-work';

/**
 * Thrown by a handler of a subscription that is not transactional when it handled the first `handled`
 * events of its batch before `cause` stopped it: the checkpoint moves past those, so the retry does
 * not handle them again.
 */
export class PartialBatchError extends Error {
  constructor(
    readonly handled: number,
    override readonly cause: unknown,
  ) {
    super(`Handled ${handled} events of the batch, then: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'PartialBatchError';
  }
}

export interface SubscriptionOptions {
  /** Durable name: the checkpoint row and the leadership lock are keyed by it. */
  name: string;
  /**
   * Handles one batch, in commit order. With `transactional: true` it runs inside the transaction
   * that also stores the checkpoint, so effects written through `tx` happen exactly once.
   */
  handle: (events: EventEnvelope[], tx: SqlClient | null) => Promise<void>;
  transactional?: boolean;
  batchSize?: number;
  /** How long to wait before looking again when the log had nothing new. */
  idleMs?: number;
  /** Called when a batch fails; the batch is retried after `retryMs`. */
  onError?: (error: unknown, attempt: number) => void;
  retryMs?: number;
}

export async function loadCheckpoint(db: SqlClient, name: string): Promise<Checkpoint> {
  const { rows } = await db.query<{ transaction_id: string; global_position: string }>(
    `SELECT transaction_id::text AS transaction_id, global_position FROM es_checkpoints WHERE name = $1`,
    [name],
  );
  return rows.length ? { transactionId: rows[0].transaction_id, position: Number(rows[0].global_position) } : START;
}

/** Locks the checkpoint row for the transaction (creating it at START if missing). */
export async function lockCheckpoint(tx: SqlClient, name: string): Promise<Checkpoint> {
  await tx.query(
    `INSERT INTO es_checkpoints (name, transaction_id, global_position) VALUES ($1, '0'::xid8, 0) ON CONFLICT (name) DO NOTHING`,
    [name],
  );
  const { rows } = await tx.query<{ transaction_id: string; global_position: string }>(
    `SELECT transaction_id::text AS transaction_id, global_position FROM es_checkpoints WHERE name = $1 FOR UPDATE`,
    [name],
  );
  return { transactionId: rows[0].transaction_id, position: Number(rows[0].global_position) };
}

export async function saveCheckpoint(db: SqlClient, name: string, checkpoint: Checkpoint): Promise<void> {
  await db.query(
    `INSERT INTO es_checkpoints (name, transaction_id, global_position, updated_at)
     VALUES ($1, $2::xid8, $3, now())
     ON CONFLICT (name) DO UPDATE
       SET transaction_id = EXCLUDED.transaction_id, global_position = EXCLUDED.global_position, updated_at = now()`,
    [name, checkpoint.transactionId, checkpoint.position],
  );
}

/** processBatch's answer when another runner moved the checkpoint first: not idle, nothing handled. */
const RETRY_NOW = -1;

/**
 * Follows the global log from a durable checkpoint. One instance per name leads at a time (a
 * session advisory lock, released if the process dies); others wait as standbys.
 */
export class CatchUpSubscription {
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private lockConnection?: DedicatedConnection;
  private checkpoint: Checkpoint = START;
  /** The batch after the one being handled, read while it is handled (see `read`). */
  private ahead?: { from: Checkpoint; batch: Promise<EventBatch> };
  /** Events handled since start. */
  handled = 0;

  constructor(
    private readonly store: PostgresEventStore,
    private readonly options: SubscriptionOptions,
  ) {}

  private get db(): Database {
    return this.store.db;
  }

  get position(): Checkpoint {
    return this.checkpoint;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Wakes an idle subscription now (e.g. right after an append in the same process). */
  poke(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }

  /** Processes at most one batch; returns how many events it handled. For tests and tools. */
  async runOnce(): Promise<number> {
    this.checkpoint = await loadCheckpoint(this.db, this.options.name);
    return Math.max(0, await this.processBatch());
  }

  /**
   * Processes everything committed before the call. Waits for transactions that were running then
   * (they may still commit events) to finish, since the commit-safe read cannot pass them.
   */
  async drain(): Promise<number> {
    if (inUnitOfWork()) throw new Error(`Subscription ${this.options.name}: cannot drain inside a unit of work, which it would wait for`);
    this.checkpoint = await loadCheckpoint(this.db, this.options.name);
    const { rows } = await this.db.query<{ xmax: string }>(`SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xmax`);
    const target = rows[0].xmax;
    let total = 0;
    for (;;) {
      const n = await this.processBatch();
      if (n === RETRY_NOW) continue;
      total += n;
      if (n > 0) continue;
      const { rows: now } = await this.db.query<{ done: boolean }>(
        `SELECT pg_snapshot_xmin(pg_current_snapshot()) >= $1::xid8 AS done`,
        [target],
      );
      if (now[0].done) {
        const last = await this.processBatch();
        if (last === 0) return total;
        if (last > 0) total += last;
        continue;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (this.running) {
      try {
        if (!this.lockConnection) {
          if (!(await this.acquireLeadership())) {
            await this.sleep(1000);
            continue;
          }
          // Another instance may have led meanwhile; our own position is never given back, since
          // it only advances after a batch was handled (and, if transactional, committed).
          const stored = await loadCheckpoint(this.db, this.options.name);
          if (compareCheckpoints(stored, this.checkpoint) > 0) this.checkpoint = stored;
        }
        const n = await this.processBatch();
        attempt = 0;
        if (n === 0) await this.sleep(this.options.idleMs ?? 50);
      } catch (error) {
        attempt += 1;
        this.options.onError?.(error, attempt);
        if (!(await this.leadershipAlive())) await this.releaseLeadership(true);
        await this.sleep(Math.min((this.options.retryMs ?? 200) * 2 ** Math.min(attempt - 1, 6), 10_000));
      }
    }
    await this.releaseLeadership(false);
  }

  private async leadershipAlive(): Promise<boolean> {
    if (!this.lockConnection) return false;
    try {
      await this.lockConnection.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Reads the batch after `from`, and, when it came back full, starts reading the one after it
   * before parsing this one, so PostgreSQL finds and sends that batch while this one is parsed and
   * handled. An early read is still whole: it returns the log after its start up to the oldest
   * transaction running when it ran, and nothing can commit later below that. A read ahead is used
   * only by the very next call and only if it starts where the checkpoint now is; any other call
   * drops it.
   */
  private async read(from: Checkpoint): Promise<EventEnvelope[]> {
    const batchSize = this.options.batchSize ?? 1000;
    const ahead = this.ahead;
    this.ahead = undefined;
    const batch =
      ahead && compareCheckpoints(ahead.from, from) === 0 ? await ahead.batch : await this.store.readAllBatch(from, batchSize);
    if (batch.size === batchSize && batch.last) {
      const next = this.store.readAllBatch(batch.last, batchSize);
      next.catch(() => undefined); // a failed read ahead surfaces when it is used, or never
      this.ahead = { from: batch.last, batch: next };
    }
    return batch.envelopes();
  }

  private async processBatch(): Promise<number> {
    const from = this.checkpoint;
    const events = await this.read(from);
    if (events.length === 0) return 0;
    const next = checkpointOf(events[events.length - 1]);
    if (this.options.transactional) {
      const applied = await this.db.transaction(async (tx) => {
        // Whoever else runs this subscription (a drain, another process) serializes here; if it
        // moved the checkpoint meanwhile, this batch is not ours to apply.
        const stored = await lockCheckpoint(tx, this.options.name);
        if (compareCheckpoints(stored, from) !== 0) {
          this.advanceTo(stored);
          return false;
        }
        await this.options.handle(events, tx);
        await saveCheckpoint(tx, this.options.name, next);
        return true;
      });
      if (!applied) return RETRY_NOW;
      this.advanceTo(next);
    } else {
      try {
        await this.options.handle(events, null);
      } catch (error) {
        if (!(error instanceof PartialBatchError) || error.handled <= 0) throw error;
        // What was handled stays handled: the retry starts after it.
        const handled = Math.min(error.handled, events.length);
        this.checkpoint = checkpointOf(events[handled - 1]);
        this.handled += handled;
        await saveCheckpoint(this.db, this.options.name, this.checkpoint).catch(() => undefined);
        throw error.cause;
      }
      // Handled is handled: a failure to store the checkpoint must not deliver the batch again.
      this.checkpoint = next;
      await saveCheckpoint(this.db, this.options.name, next);
    }
    this.handled += events.length;
    return events.length;
  }

  /** Never moves back: concurrent drains of one object may finish out of order. */
  private advanceTo(checkpoint: Checkpoint): void {
    if (compareCheckpoints(checkpoint, this.checkpoint) > 0) this.checkpoint = checkpoint;
  }

  /**
   * Resolves once everything committed before the call has been handled, by this instance's loop
   * or anyone else's. Unlike `drain`, safe while the subscription is running.
   */
  async caughtUp(timeoutMs = 30_000): Promise<void> {
    if (inUnitOfWork()) {
      // It waits for every transaction open now to end — the unit's own among them, which cannot end first.
      throw new Error(`Subscription ${this.options.name}: cannot wait to catch up inside a unit of work (mark the route @OwnTransactions())`);
    }
    const { rows } = await this.db.query<{ xmax: string }>(`SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xmax`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const stored = await loadCheckpoint(this.db, this.options.name);
      const { rows: state } = await this.db.query<{ done: boolean; pending: boolean }>(
        `SELECT pg_snapshot_xmin(pg_current_snapshot()) >= $1::xid8 AS done,
                EXISTS (SELECT 1 FROM es_events WHERE (transaction_id, global_position) > ($2::xid8, $3::bigint)
                          AND transaction_id < $1::xid8) AS pending`,
        [rows[0].xmax, stored.transactionId, stored.position],
      );
      if (state[0].done && !state[0].pending) return;
      if (Date.now() > deadline) throw new Error(`Subscription ${this.options.name} did not catch up within ${timeoutMs} ms`);
      this.poke();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private async acquireLeadership(): Promise<boolean> {
    const connection = await this.db.connect();
    try {
      const { rows } = await connection.query<{ ok: boolean }>(
        `SELECT pg_try_advisory_lock(hashtextextended($1, 7)) AS ok`,
        [`subscription:${this.options.name}`],
      );
      if (rows[0].ok) {
        this.lockConnection = connection;
        return true;
      }
    } catch (error) {
      connection.release(true);
      throw error;
    }
    connection.release();
    return false;
  }

  private async releaseLeadership(broken: boolean): Promise<void> {
    const connection = this.lockConnection;
    this.lockConnection = undefined;
    if (!connection) return;
    if (broken) return connection.release(true);
    try {
      await connection.query(`SELECT pg_advisory_unlock(hashtextextended($1, 7))`, [`subscription:${this.options.name}`]);
      connection.release();
    } catch {
      connection.release(true);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }
}
