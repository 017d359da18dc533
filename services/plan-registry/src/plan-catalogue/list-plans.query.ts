import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { searchKey } from '@thihanh/agency-directory';
import { Database } from '@thihanh/event-store';
import { DATABASE } from '@thihanh/platform';

export class ListPlans {
  constructor(readonly filter: { q?: string; province?: string; status?: string; limit: number; offset: number }) {}
}

@QueryHandler(ListPlans)
export class ListPlansHandler implements IQueryHandler<ListPlans> {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async execute({ filter }: ListPlans) {
    const words = filter.q ? searchKey(filter.q).split(' ').filter(Boolean) : [];
    const { rows } = await this.db.query(
      `SELECT plan_id AS "planId", province, number, title, status, plan_version AS "planVersion",
              stream_version AS "version", to_char(issued_on, 'YYYY-MM-DD') AS "issuedOn", task_count AS "taskCount", updated_at AS "updatedAt"
         FROM plan_catalogue
        WHERE ($1::text IS NULL OR province = $1) AND ($2::text IS NULL OR status = $2)
          AND search_key LIKE ALL ($3::text[])
        ORDER BY updated_at DESC LIMIT $4 OFFSET $5`,
      [filter.province ?? null, filter.status ?? null, words.map((w) => `%${w}%`), filter.limit, filter.offset],
    );
    return { items: rows };
  }
}
