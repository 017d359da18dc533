import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Database } from '@thihanh/event-store';
import { DATABASE } from '@thihanh/platform';

export class GetCaseBoard {
  /** `ledBy`: only the tasks this agency leads (a lead's view); omitted: the whole plan (its coordinator's). */
  constructor(readonly planId: string, readonly today: string, readonly ledBy?: string) {}
}

/** The coordinator's board: per task, each agency's case and the counts by status (with overdue). */
@QueryHandler(GetCaseBoard)
export class GetCaseBoardHandler implements IQueryHandler<GetCaseBoard> {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async execute({ planId, today, ledBy }: GetCaseBoard) {
    const { rows } = await this.db.query<{
      task_number: string; task_title: string; cycle: string; agency_id: string; role: string; status: string; percent: number; due_before: string | null; overdue: boolean; assignment_id: string;
    }>(
      `SELECT task_number, task_title, cycle, agency_id, role, status, percent, to_char(due_before, 'YYYY-MM-DD') AS due_before, assignment_id,
              (due_before <= $2::date AND status NOT IN ('waiting', 'submitted', 'accepted', 'cancelled')) AS overdue
         FROM assignment_cases
        WHERE plan_id = $1 AND ($3::text IS NULL OR task_number IN (
                SELECT task_number FROM assignment_cases WHERE plan_id = $1 AND $3 = ANY (lead_agency_ids)))
        ORDER BY task_number, cycle, role, agency_id`,
      [planId, today, ledBy ?? null],
    );
    const tasks = new Map<string, { taskNumber: string; taskTitle: string; counts: Record<string, number>; cases: unknown[] }>();
    for (const r of rows) {
      const key = `${r.task_number}`;
      const task = tasks.get(key) ?? { taskNumber: r.task_number, taskTitle: r.task_title, counts: {}, cases: [] };
      task.counts[r.status] = (task.counts[r.status] ?? 0) + 1;
      if (r.overdue) task.counts['overdue'] = (task.counts['overdue'] ?? 0) + 1;
      task.cases.push({ assignmentId: r.assignment_id, agencyId: r.agency_id, role: r.role, cycle: r.cycle, status: r.status, percent: r.percent, dueBefore: r.due_before, overdue: r.overdue });
      tasks.set(key, task);
    }
    const totals: Record<string, number> = {};
    for (const t of tasks.values()) for (const [k, v] of Object.entries(t.counts)) totals[k] = (totals[k] ?? 0) + v;
    return { planId, cases: rows.length, totals, tasks: [...tasks.values()] };
  }
}
