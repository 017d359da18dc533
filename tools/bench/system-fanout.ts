import { Client } from 'pg';
import { EventEnvelope, PlanIssuedV1 } from '@thihanh/contracts';
import { systemClock } from '@thihanh/domain';
import { EVENT_STORE_MIGRATIONS, PgDatabase, PostgresEventStore, ProjectionRunner, runMigrations } from '@thihanh/event-store';
import { caseBoardProjection } from '../../services/task-assignment/src/case-board/case-board.projection';
import { OpenPlanCases } from '../../services/task-assignment/src/fan-out/open-plan-cases';
import { AssignmentCases1764300000000 } from '../../services/task-assignment/src/migrations/1764300000000-assignment-cases';
import { AssignmentPlans1764300000100 } from '../../services/task-assignment/src/migrations/1764300000100-assignment-plans';

/**
 * The fan-out's own work without the system around it, as a baseline for the distributed and embedded
 * figures: the PlanIssued the system just handled, given to task assignment's OpenPlanCases in one
 * transaction on a scratch database (no broker, no HTTP, no other service), then the case board
 * projected from the log. Seconds of each, and the CPU seconds this process spent (the rest is PostgreSQL).
 */
export async function fanOutAlone(adminUrl: string, issued: EventEnvelope<PlanIssuedV1>): Promise<{ cases: number; openSeconds: number; openCpuSeconds: number; boardSeconds: number }> {
  const name = `thihanh_bench_fanout_${process.pid}_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = PgDatabase.fromUrl(url.toString(), { max: 2 });
  // pool.end() resolves before the sockets are gone; DROP … WITH (FORCE) may then terminate them.
  db.pool.on('error', () => undefined);
  try {
    await runMigrations(db, [...EVENT_STORE_MIGRATIONS, AssignmentCases1764300000000, AssignmentPlans1764300000100]);
    const store = new PostgresEventStore(db);
    const opener = new OpenPlanCases(store, systemClock);
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    const { opened } = await db.transaction((tx) => opener.forIssuedPlan(issued, tx));
    const openSeconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const board = performance.now();
    await new ProjectionRunner(store, caseBoardProjection).catchUp();
    const boardSeconds = (performance.now() - board) / 1000;
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM assignment_cases`);
    if (rows[0].n !== opened) throw new Error(`The board holds ${rows[0].n} cases, ${opened} were opened`);
    return { cases: opened, openSeconds, openCpuSeconds: (cpu.user + cpu.system) / 1e6, boardSeconds };
  } finally {
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
