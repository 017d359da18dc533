import { AsyncLocalStorage } from 'node:async_hooks';
import type { PGlite } from '@electric-sql/pglite';
import { Database, DedicatedConnection, SqlClient } from './database';
import { ambientTransaction, inSavepoint, inUnitOfWork, OpenTransaction, runUnitOfWork } from './unit-of-work';

type Result<R> = { rows: R[]; rowCount: number | null };

/** PostgreSQL's type ids whose text the pg driver leaves as text, so both stores answer alike. */
const INT8 = 20;
const NUMERIC = 1700;
const BYTEA = 17;

/**
 * PostgreSQL in WebAssembly (PGlite), for the embedded mode: one database in one process, no server.
 * PGlite is one session, so everything that uses it takes turns: a statement, or a whole transaction,
 * holds the turn; statements of other callers wait (they would otherwise run inside someone else's
 * transaction). Each service gets its own schema (`forService`), switched to when its turn starts.
 * Values come back as the pg driver returns them (int8 and numeric as text, bytea as Buffer).
 */
export class EmbeddedPostgres {
  private turn: Promise<void> = Promise.resolve();
  private schema: string | null = null;
  private readonly created = new Set<string>();
  private readonly holder = new AsyncLocalStorage<boolean>();

  private constructor(readonly pg: PGlite) {}

  /** `dataDir`: a folder that keeps the data across restarts; none = in memory. */
  static async open(dataDir?: string): Promise<EmbeddedPostgres> {
    // Loaded here, not with the module: a distributed service never pays for PostgreSQL in WebAssembly.
    const { PGlite } = await import('@electric-sql/pglite');
    const pg = await PGlite.create(dataDir, {
      parsers: {
        [INT8]: (value: string) => value,
        [NUMERIC]: (value: string) => value,
        [BYTEA]: (value: string) => Buffer.from(value.startsWith('\\x') ? value.slice(2) : value, 'hex'),
      },
    });
    return new EmbeddedPostgres(pg);
  }

  forService(schema: string): Database {
    if (!/^[a-z][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`Not a schema name: ${schema}`);
    return new EmbeddedDatabase(this, schema);
  }

  /**
   * Waits for the turn, switches to the schema, runs `work`, gives the turn back. Work that already
   * holds the turn (a query made inside a transaction through the database rather than the
   * transaction) runs at once: with one session it could not wait for itself.
   */
  async withTurn<T>(schema: string, work: (run: <R>(text: string, params?: unknown[]) => Promise<Result<R>>) => Promise<T>): Promise<T> {
    if (this.holder.getStore()) return work((text, params) => this.run(text, params));
    const previous = this.turn;
    let release!: () => void;
    this.turn = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      if (this.schema !== schema) {
        // Services take turns on the one session many times a second: the schema is made once.
        await this.pg.exec(this.created.has(schema) ? `SET search_path TO ${schema}` : `CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema}`);
        this.created.add(schema);
        this.schema = schema;
      }
      return await this.holder.run(true, () => work((text, params) => this.run(text, params)));
    } finally {
      release();
    }
  }

  async close(): Promise<void> {
    await this.turn;
    await this.pg.close();
  }

  private async run<R>(text: string, params?: unknown[]): Promise<Result<R>> {
    // Several statements without parameters (migrations) go through exec; the last one's rows come back.
    if (!params?.length && hasSeveralStatements(text)) {
      const results = await this.pg.exec(text);
      const last = results.at(-1);
      return { rows: (last?.rows ?? []) as R[], rowCount: last?.affectedRows ?? null };
    }
    const result = await this.pg.query<R>(text, params);
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
  }
}

/** A `;` outside quotes and dollar-quoted bodies, followed by more SQL. */
function hasSeveralStatements(text: string): boolean {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quote) {
      if (text.startsWith(quote, i)) {
        i += quote.length - 1;
        quote = null;
      }
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(text.slice(i));
      if (tag) {
        quote = tag[0];
        i += tag[0].length - 1;
      }
    } else if (c === ';' && text.slice(i + 1).trim()) return true;
  }
  return false;
}

class EmbeddedDatabase implements Database {
  constructor(
    private readonly embedded: EmbeddedPostgres,
    private readonly schema: string,
  ) {}

  async query<R>(text: string, params?: unknown[]): Promise<Result<R>> {
    const unit = ambientTransaction(this);
    if (unit) return (await unit).client.query<R>(text, params);
    return this.embedded.withTurn(this.schema, (run) => run<R>(text, params));
  }

  unitOfWork<T>(work: () => Promise<T>): Promise<T> {
    return runUnitOfWork(this, () => this.begin(), work);
  }

  /** A unit of work's transaction holds the turn from its first statement to its end. */
  private async begin(): Promise<OpenTransaction> {
    const { run, end } = await this.holdTurn();
    try {
      await run('BEGIN');
    } catch (error) {
      end();
      throw error;
    }
    const finish = (statement: string) => async () => {
      try {
        await run(statement);
      } finally {
        end();
      }
    };
    return { client: { query: (text, params) => run(text, params) }, commit: finish('COMMIT'), rollback: finish('ROLLBACK') };
  }

  /** Waits for the turn and keeps it until `end` is called. */
  private async holdTurn(): Promise<{ run: <R>(text: string, params?: unknown[]) => Promise<Result<R>>; end: () => void }> {
    let end!: () => void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    let started!: (run: <R>(text: string, params?: unknown[]) => Promise<Result<R>>) => void;
    let failed!: (error: unknown) => void;
    const running = new Promise<<R>(text: string, params?: unknown[]) => Promise<Result<R>>>((resolve, reject) => ((started = resolve), (failed = reject)));
    // If the turn cannot be had (PGlite closed, the schema switch failed), the caller hears it.
    this.embedded
      .withTurn(this.schema, async (run) => {
        started(run);
        await ended;
      })
      .catch(failed);
    return { run: await running, end };
  }

  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    const unit = ambientTransaction(this);
    if (unit) return inSavepoint(unit, work);
    return this.embedded.withTurn(this.schema, async (run) => {
      await run('BEGIN');
      try {
        const result = await work({ query: (text, params) => run(text, params) });
        await run('COMMIT');
        return result;
      } catch (error) {
        await run('ROLLBACK');
        throw error;
      }
    });
  }

  /**
   * A "dedicated connection": PGlite has one session, so session state (advisory locks) is shared and
   * always granted to this process — the only one. A BEGIN on it holds the turn until COMMIT or ROLLBACK.
   */
  async connect(): Promise<DedicatedConnection> {
    // Its BEGIN would wait for the turn the unit holds.
    if (inUnitOfWork()) throw new Error('A dedicated connection cannot be opened inside a unit of work');
    let open: { run: <R>(text: string, params?: unknown[]) => Promise<Result<R>>; end: () => void } | null = null;
    const query = async <R>(text: string, params?: unknown[]): Promise<Result<R>> => {
      const statement = text.trim().toUpperCase();
      if (open) {
        const result = await open.run<R>(text, params);
        if (/^(COMMIT|ROLLBACK|END)\b/.test(statement)) {
          open.end();
          open = null;
        }
        return result;
      }
      if (/^(BEGIN|START TRANSACTION)\b/.test(statement)) {
        // Hold the turn for the transaction's length.
        open = await this.holdTurn();
        return open.run<R>(text, params);
      }
      return this.query<R>(text, params);
    };
    return {
      query,
      release: () => {
        if (open) {
          void open.run('ROLLBACK').finally(() => open?.end());
        }
      },
    };
  }
}
