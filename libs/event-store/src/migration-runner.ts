import { MigrationInterface, QueryRunner } from 'typeorm';
import { Database } from './database';

/**
 * Runs the migrations not run yet, each in its own transaction, on any `Database` — the embedded
 * mode's, where TypeORM's PostgreSQL driver has no server to talk to. Our migrations only send SQL
 * (`queryRunner.query`), which is all this gives them. The distributed mode keeps TypeORM's runner.
 */
export async function runMigrations(db: Database, migrations: (new () => MigrationInterface)[]): Promise<string[]> {
  await db.query(`CREATE TABLE IF NOT EXISTS thihanh_migrations (name text PRIMARY KEY, run_at timestamptz NOT NULL DEFAULT now())`);
  const { rows } = await db.query<{ name: string }>(`SELECT name FROM thihanh_migrations`);
  const done = new Set(rows.map((r) => r.name));
  const ran: string[] = [];
  for (const Migration of migrations) {
    const migration = new Migration();
    const name = migration.name ?? Migration.name;
    if (done.has(name)) continue;
    await db.transaction(async (tx) => {
      await migration.up({ query: (sql: string, params?: unknown[]) => tx.query(sql, params).then((r) => r.rows) } as unknown as QueryRunner);
      await tx.query(`INSERT INTO thihanh_migrations (name) VALUES ($1)`, [name]);
    });
    ran.push(name);
  }
  return ran;
}
