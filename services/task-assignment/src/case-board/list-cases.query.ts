import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { searchKey } from '@thihanh/agency-directory';
import { Database } from '@thihanh/event-store';
import { DATABASE } from '@thihanh/platform';

export interface CaseFilter {
  agencyId?: string;
  planId?: string;
  status?: string;
  /** Cases due before this day (YYYY-MM-DD). */
  dueBefore?: string;
  /** Only cases past their due date on `today` and not finished. */
  overdue?: boolean;
  today: string;
  q?: string;
  limit: number;
  offset: number;
}

export const CASE_COLUMNS = `assignment_id AS "assignmentId", plan_id AS "planId", plan_version AS "planVersion",
  task_number AS "taskNumber", task_title AS "taskTitle", agency_id AS "agencyId", role, cycle,
  timeline_kind AS "timelineKind", status, percent, to_char(due_before, 'YYYY-MM-DD') AS "dueBefore",
  lead_agency_ids AS "leadAgencyIds", plan_coordinator_agency_id AS "planCoordinatorAgencyId",
  deliverables, version, updated_at AS "updatedAt"`;

export class ListCases {
  constructor(readonly filter: CaseFilter) {}
}

@QueryHandler(ListCases)
export class ListCasesHandler implements IQueryHandler<ListCases> {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async execute({ filter }: ListCases) {
    const words = filter.q ? searchKey(filter.q).split(' ').filter(Boolean) : [];
    const { rows } = await this.db.query(
      `SELECT ${CASE_COLUMNS}, (due_before <= $6::date AND status NOT IN ('waiting', 'submitted', 'accepted', 'cancelled')) AS overdue
         FROM assignment_cases
        WHERE ($1::text IS NULL OR agency_id = $1) AND ($2::uuid IS NULL OR plan_id = $2) AND ($3::text IS NULL OR status = $3)
          AND ($4::date IS NULL OR due_before < $4) AND (NOT $5 OR (due_before <= $6::date AND status NOT IN ('waiting', 'submitted', 'accepted', 'cancelled')))
          AND search_key LIKE ALL ($7::text[])
        ORDER BY due_before NULLS LAST, task_number, agency_id
        LIMIT $8 OFFSET $9`,
      [filter.agencyId ?? null, filter.planId ?? null, filter.status ?? null, filter.dueBefore ?? null, filter.overdue ?? false, filter.today,
        words.map((w) => `%${w}%`), filter.limit, filter.offset],
    );
    return { items: rows };
  }
}
