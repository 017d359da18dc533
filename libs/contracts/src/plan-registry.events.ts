/**
 * Events of the plan registry that other services consume (topic `thihanh.plan-registry.events.v1`).
 * `PlanIssued` and `PlanAmended` carry everything consumers need — tasks, parties with groups
 * expanded to their members, timelines — so no consumer has to call back.
 */
export const TIMELINE_KINDS = ['fixed', 'recurring', 'dependent', 'gated', 'ongoing', 'unspecified'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export interface Timeline {
  kind: TimelineKind;
  /** Due before this day begins in Vietnam time (YYYY-MM-DD): "trước ngày 20/5/2026" → 2026-05-20. */
  dueBefore: string | null;
  /** Recurring: first year, one cycle per year from it ("năm 2026 và các năm tiếp theo"). */
  fromYear: number | null;
  /** Recurring: the day within each year the cycle is due before (MM-DD), when the plan gives one. */
  dueMonthDay: string | null;
  /** Gated: the external event that opens the work ("sau khi Bộ Công an tổ chức tập huấn …"). */
  gate?: string | null;
  /** Dependent: what fixes the due date later ("theo tiến độ dự thảo Nghị định"). */
  dependsOn?: string | null;
  /** The words of the plan. */
  text: string;
}

export interface Party {
  /** As written in the plan (NFC). */
  name: string;
  /** Null only in a draft, for a name the directory did not know; never null once issued. */
  agencyId: string | null;
  group: boolean;
  /** For a group: the agencies it stands for when the plan was issued or amended. */
  members?: string[];
}

export interface PlanTask {
  number: string;
  parent: string | null;
  title: string;
  content: string;
  lead: Party[];
  implementers: Party[];
  coordinators: Party[];
  timeline: Timeline | null;
  deliverables: string[];
  legalRefs: string[];
}

export const REPORTING_FREQUENCIES = ['yearly', 'semiannual', 'quarterly', 'monthly', 'adhoc'] as const;
export type ReportingFrequency = (typeof REPORTING_FREQUENCIES)[number];

export interface ReportingRule {
  frequency: ReportingFrequency;
  dueMonthDay: string | null;
  recipient: string | null;
  recipientAgencyId?: string | null;
}

export interface LegalBasis {
  text: string;
  documentNumber: string | null;
}

export interface PlanContent {
  province: string;
  number: string | null;
  title: string;
  issuer: string | null;
  place: string | null;
  issuedOn: string | null;
  legalBasis: LegalBasis[];
  purpose: string | null;
  requirements: string | null;
  funding: string | null;
  reporting: ReportingRule[];
  recipients: string[];
  signer: { name: string; title: string | null } | null;
  /** The plan's coordinating agency (đầu mối theo dõi), e.g. the provincial police. */
  coordinatorAgencyId: string | null;
  tasks: PlanTask[];
}

export interface TaskChange {
  number: string;
  fields: string[];
}

export interface PlanDiff {
  added: string[];
  removed: string[];
  changed: TaskChange[];
  /** Plan-level fields that changed (title, reporting, …). */
  fields: string[];
}

/** A draft is created, from the form or an imported plan document (stream `plan-<planId>`). */
export interface PlanDraftedV1 {
  planId: string;
  content: PlanContent;
  source: { kind: 'manual' | 'import'; fileName?: string; sha256?: string } | null;
}

/** A draft is edited. */
export interface PlanDraftRevisedV1 {
  planId: string;
  content: PlanContent;
}

/** The plan is issued (version 1): every party resolved, groups carrying their `members`. */
export interface PlanIssuedV1 {
  planId: string;
  /** 1 at issue, +1 per amendment. */
  planVersion: number;
  content: PlanContent;
}

/** An issued plan changes: the next `planVersion`, the reason, the whole new content and the diff. */
export interface PlanAmendedV1 {
  planId: string;
  planVersion: number;
  reason: string;
  content: PlanContent;
  diff: PlanDiff;
}

/** The plan ends. */
export interface PlanClosedV1 {
  planId: string;
  reason: string;
  closedOn: string;
}

export const PLAN_EVENT_TYPES = ['PlanDrafted', 'PlanDraftRevised', 'PlanIssued', 'PlanAmended', 'PlanClosed'] as const;
export type PlanEventType = (typeof PLAN_EVENT_TYPES)[number];
