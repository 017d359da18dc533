import { searchKey } from '@thihanh/agency-directory';
import {
  ConsultationClosedV1,
  ConsultationCommentDecidedV1,
  ConsultationCommentEditedV1,
  ConsultationCommentSubmittedV1,
  ConsultationCommentWithdrawnV1,
  ConsultationDeadlineSetV1,
  ConsultationDraftUploadedV1,
  ConsultationMinistryRecordedV1,
  ConsultationOpenedV1,
  ConsultationPartiesChangedV1,
  ConsultationResponseSubmittedV1,
  EventEnvelope,
} from '@thihanh/contracts';
import { Projection, SqlClient } from '@thihanh/event-store';

type Handler = (event: EventEnvelope, tx: SqlClient) => Promise<unknown>;

/** Moves the consultation's row forward; a replayed event (version not above the row's) changes nothing. */
const row = (set: string, params: (d: never) => unknown[]): Handler => {
  const sql = `UPDATE consultations SET ${set.replace(/\$P(\d+)/g, (_, n) => `$${Number(n) + 3}`)}, version = $2, updated_at = $3
      WHERE consultation_id = $1 AND version < $2`;
  return (event, tx) =>
    tx.query(sql, [(event.data as { consultationId: string }).consultationId, event.streamVersion, event.recordedAt, ...params(event.data as never)]);
};

const comment = (set: string, params: (d: never) => unknown[]): Handler => {
  const sql = `UPDATE consultation_comments SET ${set.replace(/\$P(\d+)/g, (_, n) => `$${Number(n) + 2}`)}, updated_at = $2 WHERE comment_id = $1`;
  return (event, tx) => tx.query(sql, [(event.data as { commentId: string }).commentId, event.recordedAt, ...params(event.data as never)]);
};

const HANDLERS: Record<string, Handler> = {
  async ConsultationOpened(event, tx) {
    const d = event.data as ConsultationOpenedV1;
    await tx.query(
      `INSERT INTO consultations (consultation_id, plan_id, task_number, draft_type, draft_title, search_key, drafting_ministry, legal_refs,
         lead_agency_id, coordinator_agency_ids, deadline, deadline_text, status, version, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'open', $13, $14) ON CONFLICT (consultation_id) DO NOTHING`,
      [d.consultationId, d.planId, d.taskNumber, d.draft.type, d.draft.title, searchKey(`${d.draft.type} ${d.draft.title}`), d.draftingMinistry,
        d.legalRefs, d.leadAgencyId, d.coordinatorAgencyIds, d.deadline, d.deadlineText, event.streamVersion, event.recordedAt],
    );
  },
  ConsultationDeadlineSet: row(`deadline = $P1::date`, (d: ConsultationDeadlineSetV1) => [d.deadline]),
  ConsultationMinistryRecorded: row(`drafting_ministry = $P1`, (d: ConsultationMinistryRecordedV1) => [d.draftingMinistry]),
  async ConsultationDraftUploaded(event, tx) {
    const d = event.data as ConsultationDraftUploadedV1;
    await row(`draft_version = $P1`, () => [d.draftVersion])(event, tx);
    if (!d.relinked.length) return;
    await tx.query(
      `UPDATE consultation_comments k SET anchor = r.anchor, link_status = r.status, updated_at = $4
         FROM unnest($1::uuid[], $2::text[], $3::text[]) AS r(comment_id, anchor, status) WHERE k.comment_id = r.comment_id`,
      [d.relinked.map((r) => r.commentId), d.relinked.map((r) => r.anchor), d.relinked.map((r) => r.status), event.recordedAt],
    );
  },
  async ConsultationCommentSubmitted(event, tx) {
    const d = event.data as ConsultationCommentSubmittedV1;
    await tx.query(
      `INSERT INTO consultation_comments (comment_id, consultation_id, agency_id, kind, anchor, draft_version, text, submitted_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (comment_id) DO NOTHING`,
      [d.commentId, d.consultationId, d.agencyId, d.kind, d.anchor, d.draftVersion, d.text, d.at],
    );
  },
  ConsultationCommentEdited: comment(`text = $P1, anchor = $P2, draft_version = $P3, link_status = 'linked', decision = NULL, reason = NULL`,
    (d: ConsultationCommentEditedV1) => [d.text, d.anchor, d.draftVersion]),
  ConsultationCommentWithdrawn: comment(`withdrawn = true`, (_: ConsultationCommentWithdrawnV1) => []),
  ConsultationCommentDecided: comment(`decision = $P1, reason = $P2`, (d: ConsultationCommentDecidedV1) => [d.decision, d.reason]),
  ConsultationResponseDrafted: row(`response_drafted = true`, () => []),
  ConsultationResponseSubmitted: row(`status = 'responded', response_number = $P1, response_date = $P2::date, response_sha256 = $P3`,
    (d: ConsultationResponseSubmittedV1) => [d.document.number, d.document.date, d.document.sha256 ?? null]),
  ConsultationPartiesChanged: row(`lead_agency_id = $P1, coordinator_agency_ids = $P2`, (d: ConsultationPartiesChangedV1) => [d.leadAgencyId, d.coordinatorAgencyIds]),
  ConsultationClosed: row(`status = 'closed', issued_number = $P1, issued_date = $P2::date`, (d: ConsultationClosedV1) => [d.issued.number, d.issued.date]),
  ConsultationCancelled: row(`status = 'cancelled'`, () => []),
};

/** One row per consultation and one per comment: what the lead, the agencies and the auditors list and count. */
export const consultationBoardProjection: Projection = {
  name: 'consultation-board',
  tables: ['consultations', 'consultation_comments'],
  handles: Object.keys(HANDLERS),
  async apply(event: EventEnvelope, tx: SqlClient) {
    await HANDLERS[event.type](event, tx);
  },
  async reset(tx: SqlClient) {
    await tx.query('TRUNCATE consultations, consultation_comments');
  },
};
