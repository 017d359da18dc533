import { ReportingFrequency } from './plan-registry.events';

/**
 * Events of the reporting service (topic `thihanh.reporting.events.v1`). A reporting round asks the
 * agencies of a plan for their report on a period — a yearly (or other periodic) round from the
 * plan's reporting rules, or an ad-hoc request of the coordinator; each agency's report goes
 * draft → submitted → accepted, or returned and submitted again; the coordinator compiles the
 * province's report from the accepted ones. Streams: `round-<roundId>`, `agency-report-<reportId>`,
 * `provincial-report-<id>`. Days are YYYY-MM-DD (Vietnam), due "before that day begins".
 */

/** The four categories of the national task-tracking system, plus cases not yet workable. */
export interface CaseFigures {
  /** Cases that count (cancelled ones do not). */
  total: number;
  /** Hoàn thành đúng hạn. */
  doneOnTime: number;
  /** Hoàn thành quá hạn. */
  doneLate: number;
  /** Đang thực hiện trong hạn (waiting ones included). */
  openOnTime: number;
  /** Đang thực hiện quá hạn. */
  openOverdue: number;
  /** Of the open ones, those that cannot be worked yet (a gate, a draft's schedule). */
  waiting: number;
}

/** One task of the plan as an agency's report shows it. */
export interface ReportedTask {
  taskNumber: string;
  taskTitle: string;
  role: string;
  /** Per cycle in the period: the case's status, percent, due date, deliverables. */
  cases: { assignmentId: string; cycle: string; status: string; percent: number; dueBefore: string | null; doneOn: string | null; deliverables: string[] }[];
}

/** Narrative parts of a report (kết quả, khó khăn vướng mắc, đề xuất kiến nghị). */
export interface ReportNarrative {
  results: string;
  difficulties: string;
  proposals: string;
}

export const ROUND_KINDS = ['yearly', 'semiannual', 'quarterly', 'monthly', 'adhoc'] as const satisfies readonly ReportingFrequency[];
export type RoundKind = (typeof ROUND_KINDS)[number];

/**
 * A round opens (stream `round-<roundId>`): a plan's reporting rule calls for it (a yearly round's id
 * derived from plan and year), or the coordinator asks ad hoc.
 */
export interface ReportingRoundOpenedV1 {
  roundId: string;
  planId: string;
  kind: RoundKind;
  /** "Báo cáo năm 2026", "Báo cáo đột xuất về …". */
  title: string;
  /** The period the reports cover (inclusive days). */
  period: { from: string; to: string };
  dueBefore: string;
  /** The coordinating agency that receives and compiles the reports. */
  coordinatorAgencyId: string;
  /** Agencies asked to report. */
  agencyIds: string[];
  /** Ad-hoc: the tasks it is about (empty: the whole plan). */
  taskNumbers: string[];
  /** Why an ad-hoc request was made (the higher authority's request, …). */
  note: string | null;
  source: 'plan-rule' | 'coordinator';
}

/** The scheduler: 7 and 1 days before the due day, and on it (then to the late ones). */
export interface ReportingReminderSentV1 {
  roundId: string;
  dueBefore: string;
  /** 7, 1 days before; 0 on the day (then the late ones are listed). */
  daysLeft: 7 | 1 | 0;
  agencyIds: string[];
}

/** The round is closed without a provincial report. */
export interface ReportingRoundClosedV1 {
  roundId: string;
  reason: string;
  at: string;
}

/** An agency saves its narrative (stream `agency-report-<reportId>`). */
export interface AgencyReportDraftedV1 {
  reportId: string;
  roundId: string;
  planId: string;
  agencyId: string;
  narrative: ReportNarrative;
  at: string;
}

/** The agency sends its report: its figures and tasks as of that moment, and its narrative. */
export interface AgencyReportSubmittedV1 {
  reportId: string;
  roundId: string;
  planId: string;
  agencyId: string;
  figures: CaseFigures;
  tasks: ReportedTask[];
  narrative: ReportNarrative;
  /** Submitted after the round's due date. */
  late: boolean;
  at: string;
}

/** The round's coordinator accepts an agency's report. */
export interface AgencyReportAcceptedV1 {
  reportId: string;
  roundId: string;
  agencyId: string;
  at: string;
}

/** The round's coordinator returns an agency's report, with a reason; the agency submits it again. */
export interface AgencyReportReturnedV1 {
  reportId: string;
  roundId: string;
  agencyId: string;
  reason: string;
  at: string;
}

/** The province's report as compiled and issued (its figures frozen, its document kept by SHA-256). */
export interface ProvincialReportIssuedV1 {
  provincialReportId: string;
  roundId: string;
  planId: string;
  province: string;
  document: { title: string; number: string; date: string; sha256: string };
  figures: CaseFigures;
  /** Agencies whose accepted report it includes, and those that never reported. */
  reportedAgencyIds: string[];
  missingAgencyIds: string[];
  at: string;
}

export const REPORTING_EVENT_TYPES = [
  'ReportingRoundOpened', 'ReportingReminderSent', 'ReportingRoundClosed', 'AgencyReportDrafted', 'AgencyReportSubmitted',
  'AgencyReportAccepted', 'AgencyReportReturned', 'ProvincialReportIssued',
] as const;
export type ReportingEventType = (typeof REPORTING_EVENT_TYPES)[number];
