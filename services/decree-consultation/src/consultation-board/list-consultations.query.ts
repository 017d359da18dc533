import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { searchKey } from '@thihanh/agency-directory';
import { Database } from '@thihanh/event-store';
import { DATABASE } from '@thihanh/platform';

export interface ConsultationFilter {
  /** Only consultations this agency leads or is asked to comment on; none = all (auditors, operators). */
  agencyId?: string;
  planId?: string;
  status?: string;
  q?: string;
  limit: number;
  offset: number;
}

export const CONSULTATION_COLUMNS = `c.consultation_id AS "consultationId", c.plan_id AS "planId", c.task_number AS "taskNumber",
  c.draft_type AS "draftType", c.draft_title AS "draftTitle", c.drafting_ministry AS "draftingMinistry", c.legal_refs AS "legalRefs",
  c.lead_agency_id AS "leadAgencyId", to_char(c.deadline, 'YYYY-MM-DD') AS deadline, c.deadline_text AS "deadlineText", c.status,
  c.draft_version AS "draftVersion", c.response_drafted AS "responseDrafted", c.response_number AS "responseNumber",
  to_char(c.response_date, 'YYYY-MM-DD') AS "responseDate", c.issued_number AS "issuedNumber", to_char(c.issued_date, 'YYYY-MM-DD') AS "issuedDate",
  cardinality(c.coordinator_agency_ids) AS coordinators,
  (SELECT count(DISTINCT agency_id) FROM consultation_comments k WHERE k.consultation_id = c.consultation_id AND NOT k.withdrawn)::int AS answered,
  (SELECT count(*) FROM consultation_comments k WHERE k.consultation_id = c.consultation_id AND NOT k.withdrawn AND k.kind = 'comment')::int AS comments,
  c.version, c.updated_at AS "updatedAt"`;

export class ListConsultations {
  constructor(readonly filter: ConsultationFilter) {}
}

@QueryHandler(ListConsultations)
export class ListConsultationsHandler implements IQueryHandler<ListConsultations> {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async execute({ filter }: ListConsultations) {
    const words = filter.q ? searchKey(filter.q).split(' ').filter(Boolean) : [];
    const { rows } = await this.db.query(
      `SELECT ${CONSULTATION_COLUMNS}, ($1::text = c.lead_agency_id) AS leads
         FROM consultations c
        WHERE ($1::text IS NULL OR c.lead_agency_id = $1 OR $1 = ANY (c.coordinator_agency_ids))
          AND ($2::uuid IS NULL OR c.plan_id = $2) AND ($3::text IS NULL OR c.status = $3) AND c.search_key LIKE ALL ($4::text[])
        ORDER BY c.deadline NULLS LAST, c.task_number, c.consultation_id
        LIMIT $5 OFFSET $6`,
      [filter.agencyId ?? null, filter.planId ?? null, filter.status ?? null, words.map((w) => `%${w}%`), filter.limit, filter.offset],
    );
    return { items: rows };
  }
}
