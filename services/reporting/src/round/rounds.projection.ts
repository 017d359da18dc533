import {
  AgencyReportDraftedV1,
  AgencyReportReturnedV1,
  AgencyReportSubmittedV1,
  EventEnvelope,
  ProvincialReportIssuedV1,
  ReportingRoundOpenedV1,
} from '@thihanh/contracts';
import { Projection, SqlClient } from '@thihanh/event-store';

type Apply = (event: EventEnvelope, tx: SqlClient) => Promise<unknown>;

const report = (set: string, params: (e: EventEnvelope) => unknown[]): Apply => (event, tx) =>
  tx.query(`UPDATE rp_agency_reports SET ${set.replace(/\$P(\d+)/g, (_, n) => `$${Number(n) + 2}`)}, version = $2 WHERE report_id = $1 AND version < $2`, [
    (event.data as { reportId: string }).reportId, event.streamVersion, ...params(event),
  ]);

/** Creates the report's row on its first event, whatever that is (a draft or a submission). */
const ensureReport = (e: EventEnvelope<AgencyReportDraftedV1 | AgencyReportSubmittedV1>, tx: SqlClient) =>
  tx.query(`INSERT INTO rp_agency_reports (report_id, round_id, agency_id, status, version) VALUES ($1, $2, $3, 'draft', 0) ON CONFLICT (report_id) DO NOTHING`, [
    e.data.reportId, e.data.roundId, e.data.agencyId,
  ]);

const HANDLERS: Record<string, Apply> = {
  async ReportingRoundOpened(e, tx) {
    const d = e.data as ReportingRoundOpenedV1;
    await tx.query(
      `INSERT INTO rp_rounds (round_id, plan_id, kind, title, period_from, period_to, due_before, coordinator_agency_id, agency_ids, task_numbers, status, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open', $11) ON CONFLICT (round_id) DO NOTHING`,
      [d.roundId, d.planId, d.kind, d.title, d.period.from, d.period.to, d.dueBefore, d.coordinatorAgencyId, d.agencyIds, d.taskNumbers, e.streamVersion],
    );
  },
  ReportingRoundClosed: (e, tx) => tx.query(`UPDATE rp_rounds SET status = 'closed', version = $2 WHERE round_id = $1`, [(e.data as { roundId: string }).roundId, e.streamVersion]),
  ProvincialReportIssued: (e, tx) => {
    const d = e.data as ProvincialReportIssuedV1;
    return tx.query(`UPDATE rp_rounds SET status = 'reported', provincial_report = $2, version = $3 WHERE round_id = $1`, [d.roundId, JSON.stringify(d), e.streamVersion]);
  },
  async AgencyReportDrafted(e, tx) {
    await ensureReport(e as EventEnvelope<AgencyReportDraftedV1>, tx);
    await report(`status = 'draft', narrative = $P1`, (ev) => [JSON.stringify((ev.data as AgencyReportDraftedV1).narrative)])(e, tx);
  },
  async AgencyReportSubmitted(e, tx) {
    await ensureReport(e as EventEnvelope<AgencyReportSubmittedV1>, tx);
    await report(`status = 'submitted', late = $P1, submitted_at = $P2, figures = $P3, narrative = $P4, returned_reason = NULL`, (ev) => {
      const d = ev.data as AgencyReportSubmittedV1;
      return [d.late, d.at, JSON.stringify(d.figures), JSON.stringify(d.narrative)];
    })(e, tx);
  },
  AgencyReportAccepted: report(`status = 'accepted'`, () => []),
  AgencyReportReturned: report(`status = 'returned', returned_reason = $P1`, (e) => [(e.data as AgencyReportReturnedV1).reason]),
};

/** Rounds and the agencies' reports, as coordinators and agencies list them. */
export const roundsProjection: Projection = {
  name: 'rounds',
  tables: ['rp_rounds', 'rp_agency_reports'],
  handles: Object.keys(HANDLERS),
  async apply(event, tx) {
    await HANDLERS[event.type](event, tx);
  },
  async reset(tx) {
    await tx.query('TRUNCATE rp_rounds, rp_agency_reports');
  },
};
