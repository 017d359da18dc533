import { searchKey } from '@thihanh/agency-directory';
import { EventEnvelope, PlanContent } from '@thihanh/contracts';
import { Projection, SqlClient } from '@thihanh/event-store';
import { PlanEvent } from '../plan/plan.events';

const STATUS: Record<PlanEvent['type'], string> = {
  PlanDrafted: 'draft',
  PlanDraftRevised: 'draft',
  PlanIssued: 'issued',
  PlanAmended: 'amended',
  PlanClosed: 'closed',
};

/** One row per plan for listing and diacritic-insensitive search ("son la" finds "Sơn La"). */
export const planCatalogueProjection: Projection = {
  name: 'plan-catalogue',
  tables: ['plan_catalogue'],
  handles: Object.keys(STATUS),
  async apply(event: EventEnvelope, tx: SqlClient) {
    const e = event as unknown as EventEnvelope & PlanEvent;
    if (e.type === 'PlanClosed') {
      await tx.query(`UPDATE plan_catalogue SET status = 'closed', stream_version = $2, updated_at = $3 WHERE plan_id = $1`, [
        e.data.planId,
        event.streamVersion,
        event.recordedAt,
      ]);
      return;
    }
    const content: PlanContent = e.data.content;
    const planVersion = e.type === 'PlanIssued' || e.type === 'PlanAmended' ? e.data.planVersion : 0;
    await tx.query(
      `INSERT INTO plan_catalogue (plan_id, province, number, title, search_key, status, plan_version, stream_version, issued_on, task_count, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (plan_id) DO UPDATE SET province = $2, number = $3, title = $4, search_key = $5, status = $6,
         plan_version = $7, stream_version = $8, issued_on = $9, task_count = $10, updated_at = $11
       WHERE plan_catalogue.stream_version < $8`,
      [
        e.data.planId,
        content.province,
        content.number,
        content.title,
        searchKey(`${content.title} ${content.number ?? ''} ${content.issuer ?? ''} ${content.place ?? ''}`),
        STATUS[e.type],
        planVersion,
        event.streamVersion,
        content.issuedOn,
        content.tasks.length,
        event.recordedAt,
      ],
    );
  },
  async reset(tx: SqlClient) {
    await tx.query('TRUNCATE plan_catalogue');
  },
};
