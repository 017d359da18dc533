import { Pool, PoolClient, PoolConfig, QueryConfig } from 'pg';
import { DataSource } from 'typeorm';
import { ambientTransaction, inSavepoint, inUnitOfWork, OpenTransaction, runUnitOfWork, RolledBackAtCommitError } from './unit-of-work';

/**
 * The little the event store needs from PostgreSQL. Hot paths (append, catch-up reads, verification)
 * use plain SQL through this, not TypeORM: TypeORM's insert reached ~55% of plain pg for single rows.
 * Keeping it this small lets the embedded mode put PGlite behind the same interface.
 */
export interface SqlClient {
  query<R = Record<string, unknown>>(text: string, params?: unknown[], options?: QueryOptions): Promise<{ rows: R[]; rowCount: number | null }>;
}

export interface QueryOptions {
  /**
   * Parse and plan the statement once per connection and keep it under this name: for hot statements
   * with a fixed text (an append's call). A client that cannot prepare runs the text as usual.
   */
  prepare?: string;
}

export interface Database extends SqlClient {
  /**
   * Runs `work` in one transaction on one connection; commits if it resolves, rolls back if it throws.
   * Inside a unit of work it is a savepoint of the unit's transaction.
   */
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>;
  /**
   * Runs `work` so that every statement it sends through this database commits together, or none
   * does: one command's events, files and kept answer (see unit-of-work.ts).
   */
  unitOfWork<T>(work: () => Promise<T>): Promise<T>;
  /** A dedicated connection for session state (advisory locks), released by the caller. */
  connect(): Promise<DedicatedConnection>;
}

export interface DedicatedConnection extends SqlClient {
  release(destroy?: boolean): void;
}

export class PgDatabase implements Database {
  constructor(readonly pool: Pool, private readonly ownsPool = false) {}

  static fromUrl(url: string, config: PoolConfig = {}): PgDatabase {
    return new PgDatabase(new Pool({ connectionString: url, max: 10, ...config }), true);
  }

  /** Shares the connection pool TypeORM opened, so a service holds one pool, not two. */
  static fromDataSource(dataSource: DataSource): PgDatabase {
    // TypeORM's postgres driver keeps its pg Pool as `master`.
    const pool = (dataSource.driver as unknown as { master: Pool }).master;
    if (!pool) throw new Error('The data source is not an initialized PostgreSQL data source');
    return new PgDatabase(pool);
  }

  async query<R>(text: string, params?: unknown[], options?: QueryOptions): Promise<{ rows: R[]; rowCount: number | null }> {
    const unit = ambientTransaction(this);
    if (unit) return (await unit).client.query<R>(text, params, options);
    return this.pool.query(toConfig(text, params, options)) as unknown as Promise<{ rows: R[]; rowCount: number | null }>;
  }

  unitOfWork<T>(work: () => Promise<T>): Promise<T> {
    return runUnitOfWork(this, () => this.begin(), work);
  }

  async transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    const unit = ambientTransaction(this);
    if (unit) return inSavepoint(unit, work);
    const tx = await this.begin();
    let result: T;
    try {
      result = await work(tx.client);
    } catch (error) {
      await tx.rollback();
      throw error;
    }
    await tx.commit();
    return result;
  }

  /**
   * A transaction on a connection of its own, for `transaction` and for a unit of work. Its connection
   * goes back to the pool at COMMIT or ROLLBACK — destroyed if that failed, since its state is unknown.
   */
  private async begin(): Promise<OpenTransaction> {
    const client = await this.pool.connect();
    const detach = survivesConnectionLoss(client);
    const release = (broken: boolean) => {
      detach();
      client.release(broken);
    };
    try {
      await client.query('BEGIN');
    } catch (error) {
      release(true);
      throw error;
    }
    return {
      client: wrap(client),
      commit: async () => {
        let answer: { command?: string };
        try {
          answer = await client.query('COMMIT');
        } catch (error) {
          // Whether it committed is unknown (the connection went during COMMIT): the connection goes too.
          release(true);
          throw error;
        }
        release(false);
        if (answer.command === 'ROLLBACK') throw new RolledBackAtCommitError();
      },
      rollback: async () => {
        let broken = false;
        await client.query('ROLLBACK').catch(() => (broken = true));
        release(broken);
      },
    };
  }

  async connect(): Promise<DedicatedConnection> {
    // A second connection would not see the unit's writes, and could wait for its locks forever.
    if (inUnitOfWork()) throw new Error('A dedicated connection cannot be opened inside a unit of work');
    const client = await this.pool.connect();
    const detach = survivesConnectionLoss(client);
    return Object.assign(wrap(client), {
      release: (destroy?: boolean) => {
        detach();
        client.release(destroy);
      },
    });
  }

  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }
}

/**
 * The database is away (down, restarting, unreachable, out of connections) rather than the statement
 * wrong: connection-class SQLSTATEs (08…), insufficient resources (53…), operator intervention (57P…,
 * e.g. a shutdown), socket errors, and what pg says when a connection dies or cannot be had in time.
 * Callers answer 503 or retry; a statement error (23505, 42P01, …) is not this.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (typeof e?.code === 'string' && (/^(08|53|57P)/.test(e.code) || ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND'].includes(e.code))) {
    return true;
  }
  return typeof e?.message === 'string' && /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable/i.test(e.message);
}

/**
 * A checked-out client whose connection drops (the server restarts, the network goes) emits 'error';
 * unheard, that event ends the process. Heard, the loss surfaces where it belongs: as the rejection of
 * the client's current or next query, which the caller handles (a 503, a retry). The pool listens
 * only while a client is idle, so each checkout listens until its release.
 */
function survivesConnectionLoss(client: PoolClient): () => void {
  const ignore = () => undefined;
  client.on('error', ignore);
  return () => client.off('error', ignore);
}

function wrap(client: PoolClient): SqlClient {
  return {
    query: <R>(text: string, params?: unknown[], options?: QueryOptions) =>
      client.query(toConfig(text, params, options)) as unknown as Promise<{ rows: R[]; rowCount: number | null }>,
  };
}

function toConfig(text: string, params: unknown[] | undefined, options: QueryOptions | undefined): QueryConfig {
  return options?.prepare ? { name: options.prepare, text, values: params } : { text, values: params };
}
