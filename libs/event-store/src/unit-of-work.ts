import { AsyncLocalStorage } from 'node:async_hooks';
import type { SqlClient } from './database';

/**
 * A unit of work: everything one command writes through its service's database — its events, the
 * bytes of its files, the answer kept for its Idempotency-Key — commits together or not at all.
 *
 * Why (ADR 0016): with the key's answer written in a transaction of its own, a connection cut during
 * the command's COMMIT left the events stored and the key unanswered, and the client's retry ran the
 * command a second time. Now the answer is kept only if the events are, so a retry replays it.
 *
 * Inside `unitOfWork(work)`, every statement sent through that database — `query`, and `transaction`,
 * which becomes a savepoint — runs on one transaction. The transaction begins at the first statement,
 * so a request still reading its upload holds no connection. It commits when `work` resolves and
 * rolls back when it throws. After it ends, statements from anything `work` left running go to the
 * database as usual.
 */
export interface OpenTransaction {
  client: SqlClient;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

interface Ambient {
  owner: object;
  begin: () => Promise<OpenTransaction>;
  opened?: Promise<OpenTransaction>;
  ended: boolean;
  savepoints: number;
  afterCommit: (() => void)[];
}

const storage = new AsyncLocalStorage<Ambient>();

/** Runs `work` as `owner`'s unit of work; `begin` opens its transaction when the first statement comes. */
export async function runUnitOfWork<T>(owner: object, begin: () => Promise<OpenTransaction>, work: () => Promise<T>): Promise<T> {
  const outer = storage.getStore();
  // Already inside one of this database's units (a command sent from a command): one transaction.
  if (outer && outer.owner === owner && !outer.ended) return work();
  const ambient: Ambient = { owner, begin, ended: false, savepoints: 0, afterCommit: [] };
  const result = await storage.run(ambient, async () => {
    let value: T;
    try {
      value = await work();
    } catch (error) {
      ambient.ended = true;
      if (ambient.opened) await (await ambient.opened.catch(() => null))?.rollback();
      throw error;
    }
    ambient.ended = true;
    if (ambient.opened) await (await ambient.opened).commit();
    return value;
  });
  for (const callback of ambient.afterCommit) {
    try {
      callback();
    } catch {
      // A wake-up that fails must not turn a committed command into an error.
    }
  }
  return result;
}

/** The open unit of work of `owner` in this async context, its transaction begun on first use. */
export function ambientTransaction(owner: object): Promise<OpenTransaction> | undefined {
  const ambient = storage.getStore();
  if (!ambient || ambient.owner !== owner || ambient.ended) return undefined;
  ambient.opened ??= ambient.begin();
  return ambient.opened;
}

/**
 * A nested `transaction(work)` inside a unit of work: a savepoint, so that a failure inside rolls back
 * what `work` did and leaves the unit usable, as a transaction of its own would have.
 */
export async function inSavepoint<T>(opened: Promise<OpenTransaction>, work: (tx: SqlClient) => Promise<T>): Promise<T> {
  const { client } = await opened;
  const ambient = storage.getStore()!;
  ambient.savepoints += 1;
  const name = `uow_${ambient.savepoints}`;
  await client.query(`SAVEPOINT ${name}`);
  try {
    const result = await work(client);
    await client.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (error) {
    await client.query(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
    throw error;
  }
}

/**
 * A transaction whose statement failed is aborted: PostgreSQL answers its COMMIT with ROLLBACK, and no
 * error. That must not pass for a commit (a handler that caught a failed statement and went on).
 */
export class RolledBackAtCommitError extends Error {
  constructor() {
    super('The transaction was rolled back at COMMIT: one of its statements had failed');
    this.name = 'RolledBackAtCommitError';
  }
}

/** Whether this async context is inside a unit of work that has not ended. */
export function inUnitOfWork(): boolean {
  const ambient = storage.getStore();
  return ambient !== undefined && !ambient.ended;
}

/**
 * Runs `callback` once the current unit of work has committed (nothing, if it rolls back), or now if
 * there is none: a wake-up for the readers of the log, which cannot see the events before the commit.
 */
export function afterCommit(callback: () => void): void {
  const ambient = storage.getStore();
  if (ambient && !ambient.ended) ambient.afterCommit.push(callback);
  else callback();
}
