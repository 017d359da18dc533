/**
 * What every Database's unit of work must do (libs/event-store/src/unit-of-work.ts), run against
 * PostgreSQL and against PGlite. The types are restated here so that this library does not depend on
 * the event store, whose own tests depend on it.
 */
interface Sql {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
}

export interface UnitOfWorkDatabase extends Sql {
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  unitOfWork<T>(work: () => Promise<T>): Promise<T>;
}

export interface UnitOfWorkSubject {
  db: UnitOfWorkDatabase;
  afterCommit(callback: () => void): void;
}

/** Defines the contract's tests; `subject()` is called once the suite's setup has run. */
export function unitOfWorkContract(subject: () => UnitOfWorkSubject): void {
  let table = 0;
  /** A fresh table per test, so the tests share nothing. */
  async function newTable(): Promise<{ name: string; ids: () => Promise<string[]> }> {
    const { db } = subject();
    table += 1;
    const name = `uow_items_${process.pid}_${table}`;
    await db.query(`CREATE TABLE ${name} (id text PRIMARY KEY)`);
    return { name, ids: async () => (await db.query<{ id: string }>(`SELECT id FROM ${name} ORDER BY id`)).rows.map((r) => r.id) };
  }

  it('commits every statement of the unit together and answers what the work returned', async () => {
    const { db } = subject();
    const items = await newTable();
    const result = await db.unitOfWork(async () => {
      await db.query(`INSERT INTO ${items.name} VALUES ('a')`);
      await db.query(`INSERT INTO ${items.name} VALUES ('b')`);
      return 'done';
    });
    expect(result).toBe('done');
    expect(await items.ids()).toEqual(['a', 'b']);
  });

  it('rolls every statement back when the work throws, and rethrows its error', async () => {
    const { db } = subject();
    const items = await newTable();
    const failure = new Error('refused after writing');
    await expect(
      db.unitOfWork(async () => {
        await db.query(`INSERT INTO ${items.name} VALUES ('a')`);
        await db.transaction((tx) => tx.query(`INSERT INTO ${items.name} VALUES ('b')`));
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await items.ids()).toEqual([]);
  });

  it('makes a nested transaction a savepoint: its failure undoes only its own writes', async () => {
    const { db } = subject();
    const items = await newTable();
    await db.unitOfWork(async () => {
      await db.query(`INSERT INTO ${items.name} VALUES ('outer')`);
      await expect(
        db.transaction(async (tx) => {
          await tx.query(`INSERT INTO ${items.name} VALUES ('inner')`);
          await tx.query(`INSERT INTO ${items.name} VALUES ('outer')`); // duplicate key: the statement fails
        }),
      ).rejects.toMatchObject({ code: '23505' });
      await db.query(`INSERT INTO ${items.name} VALUES ('after')`);
    });
    expect(await items.ids()).toEqual(['after', 'outer']);
  });

  it('runs afterCommit callbacks once the unit has committed, and never for a unit rolled back', async () => {
    const { db, afterCommit } = subject();
    const items = await newTable();
    const seen: string[][] = [];
    let calledInside = false;
    await db.unitOfWork(async () => {
      await db.query(`INSERT INTO ${items.name} VALUES ('a')`);
      afterCommit(() => void items.ids().then((ids) => seen.push(ids)));
      calledInside = seen.length > 0;
    });
    await expect(db.unitOfWork(async () => {
      afterCommit(() => seen.push(['rolled back']));
      throw new Error('no');
    })).rejects.toThrow('no');
    await eventuallyTrue(() => seen.length > 0);
    expect(calledInside).toBe(false);
    expect(seen).toEqual([['a']]);
    let ranAtOnce = false;
    afterCommit(() => (ranAtOnce = true));
    expect(ranAtOnce).toBe(true);
  });

  it('joins a unit started inside another of the same database', async () => {
    const { db } = subject();
    const items = await newTable();
    await expect(
      db.unitOfWork(async () => {
        await db.unitOfWork(() => db.query(`INSERT INTO ${items.name} VALUES ('inner')`));
        throw new Error('outer fails');
      }),
    ).rejects.toThrow('outer fails');
    expect(await items.ids()).toEqual([]);
  });

  it('sends what the work left running after the unit ended to the database as usual', async () => {
    const { db } = subject();
    const items = await newTable();
    let finish!: () => void;
    const released = new Promise<void>((resolve) => (finish = resolve));
    let straggler!: Promise<unknown>;
    await db.unitOfWork(async () => {
      await db.query(`INSERT INTO ${items.name} VALUES ('in-unit')`);
      straggler = released.then(() => db.query(`INSERT INTO ${items.name} VALUES ('straggler')`));
    });
    finish();
    await straggler;
    expect(await items.ids()).toEqual(['in-unit', 'straggler']);
  });
}

async function eventuallyTrue(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
}
