/**
 * Events of the decree-consultation service (topic `thihanh.decree-consultation.events.v1`, keyed by
 * the stream id `consultation-<consultationId>`). One case per draft legal document the province is
 * asked to comment on (tham gia ý kiến dự thảo): its drafts, the coordinating agencies' comments, the
 * lead's decisions on them, the consolidated response and, last, the issued document. Every payload
 * carries `consultationId`; instants (`at`) are ISO 8601, days are YYYY-MM-DD in Vietnam time — a
 * deadline is "before that day begins" ("trước ngày X").
 */

/** The kind of document drafted: "Nghị định", "Quyết định", "Thông tư", "Luật", … as the plan names it. */
export type DraftDocumentType = string;

export const CONSULTATION_STATUSES = ['open', 'responded', 'closed', 'cancelled'] as const;
/** `open`: collecting and consolidating comments; `responded`: the response went upward; `closed`: the document was issued. */
export type ConsultationStatus = (typeof CONSULTATION_STATUSES)[number];

export const DEADLINE_SOURCES = ['plan', 'ministry-request', 'operator'] as const;
export type DeadlineSource = (typeof DEADLINE_SOURCES)[number];

/** An official document by its number and date (số, ký hiệu; ngày ban hành). */
export interface DocumentReference {
  number: string;
  /** YYYY-MM-DD. */
  date: string;
}

/**
 * A consultation opens: from an issued plan's consultation task (its id derived from plan and task), or by
 * an operator.
 */
export interface ConsultationOpenedV1 {
  consultationId: string;
  /** The plan task it comes from ("4.a"); null for one an operator opened directly. */
  planId: string | null;
  planVersion: number | null;
  taskNumber: string | null;
  draft: {
    type: DraftDocumentType;
    /** "Nghị định của Chính phủ quy định chi tiết một số điều của Luật An ninh mạng". */
    title: string;
  };
  /** The ministry drafting it (cơ quan chủ trì soạn thảo), when known. */
  draftingMinistry: string | null;
  /** The articles of the law it details: "khoản 4 Điều 25", "Điều 29". */
  legalRefs: string[];
  leadAgencyId: string;
  /** Agencies asked to comment, groups expanded; never the lead. */
  coordinatorAgencyIds: string[];
  /** Null while the deadline follows the drafting schedule ("theo tiến độ dự thảo Nghị định"). */
  deadline: string | null;
  /** The plan's words for the timeline. */
  deadlineText: string | null;
  /** Recognised in an issued plan, or opened by an operator. */
  source: 'plan' | 'operator';
}

/** The deadline in force was fixed or moved: by the plan, the ministry's request, or an operator. */
export interface ConsultationDeadlineSetV1 {
  consultationId: string;
  /** The plan task the consultation comes from (e.g. task "4.a"), when it comes from one. */
  planId: string | null;
  taskNumber: string | null;
  /** Comments are due before this day begins, Vietnam time (YYYY-MM-DD). */
  deadline: string;
  source: DeadlineSource;
  /** The ministry's request that fixed it (công văn đề nghị góp ý), when it was one. */
  request?: DocumentReference & { ministry?: string };
}

/** The drafting ministry became known (from its request, or an operator). */
export interface ConsultationMinistryRecordedV1 {
  consultationId: string;
  draftingMinistry: string;
}

/** How a comment's place in the previous draft maps to the new one (see @thihanh/legal-document). */
export type CommentLinkStatus = 'linked' | 'flagged' | 'orphaned';

export interface RelinkedCommentV1 {
  commentId: string;
  /** Its place in the new draft; the old anchor when orphaned. */
  anchor: string;
  previousAnchor: string;
  status: CommentLinkStatus;
}

/** A draft version was uploaded; its text is kept in the event, so the history alone shows what was commented on. */
export interface ConsultationDraftUploadedV1 {
  consultationId: string;
  /** 1, 2, … */
  draftVersion: number;
  file: { name: string; sha256: string; size: number };
  /** The draft's own title line, when it has one. */
  title: string | null;
  /** The text as read from the file (NFC, one line per paragraph). */
  text: string;
  articleCount: number;
  /** Lines the parser could not place (numbered amendments in quotes, sections…). */
  unparsedLines: number;
  /** Every anchored, active comment of the previous draft and where it now stands. */
  relinked: RelinkedCommentV1[];
  at: string;
}

export const COMMENT_KINDS = ['comment', 'no-comment'] as const;
export type CommentKind = (typeof COMMENT_KINDS)[number];

/** A coordinating agency's comment on a place of the draft (or in general), or its explicit "không có ý kiến". */
export interface ConsultationCommentSubmittedV1 {
  consultationId: string;
  commentId: string;
  agencyId: string;
  kind: CommentKind;
  /** "dieu-5.khoan-1.diem-a"; null for a general comment and for "no comment". */
  anchor: string | null;
  /** The draft version it was written on; null when no draft was uploaded yet. */
  draftVersion: number | null;
  /** Empty for "no comment". */
  text: string;
  at: string;
}

/** The author changes its comment, before the deadline. */
export interface ConsultationCommentEditedV1 {
  consultationId: string;
  commentId: string;
  text: string;
  anchor: string | null;
  draftVersion: number | null;
  at: string;
}

/** The author withdraws its comment, before the deadline. */
export interface ConsultationCommentWithdrawnV1 {
  consultationId: string;
  commentId: string;
  at: string;
}

export const COMMENT_DECISIONS = ['accepted', 'partly-accepted', 'not-accepted'] as const;
/** Tiếp thu / tiếp thu một phần / không tiếp thu. */
export type CommentDecision = (typeof COMMENT_DECISIONS)[number];

/** The lead's decision on a comment, with its reason (giải trình). A later decision replaces an earlier one. */
export interface ConsultationCommentDecidedV1 {
  consultationId: string;
  commentId: string;
  decision: CommentDecision;
  reason: string;
  at: string;
}

/** The consolidated response as the lead wrote it, in the layout of Decree 30/2020/NĐ-CP. */
export interface ConsultationResponseContent {
  parentAuthority: string | null;
  issuer: string;
  /** Ký hiệu: "CAT-ANM". */
  symbol: string | null;
  place: string;
  /** Trích yếu: "V/v góp ý dự thảo Nghị định …". */
  summary: string;
  /** Kính gửi. */
  addressees: string[];
  /** Paragraphs, one per line. */
  body: string;
  /** Nơi nhận. */
  recipients: string[];
  signer: { authority: string | null; title: string; name: string };
}

/** The lead writes, or rewrites, the consolidated response. */
export interface ConsultationResponseDraftedV1 {
  consultationId: string;
  response: ConsultationResponseContent;
  at: string;
}

/** The province's consolidated response was sent (document number and date). */
export interface ConsultationResponseSubmittedV1 {
  consultationId: string;
  planId: string | null;
  taskNumber: string | null;
  leadAgencyId: string;
  document: { title: string; number: string; date: string; sha256?: string; link?: string };
  submittedAt: string;
}

/** Reminder to the agencies that have not answered yet, 7 and 1 days before the deadline; once each per deadline. */
export interface ConsultationReminderSentV1 {
  consultationId: string;
  deadline: string;
  daysLeft: 7 | 1;
  agencyIds: string[];
}

/** The deadline arrived: who never answered. Once per deadline. */
export interface ConsultationDeadlinePassedV1 {
  consultationId: string;
  deadline: string;
  unansweredAgencyIds: string[];
}

/** An amended plan changed who takes part. */
export interface ConsultationPartiesChangedV1 {
  consultationId: string;
  planVersion: number;
  leadAgencyId: string;
  coordinatorAgencyIds: string[];
}

/** The document itself was issued (e.g. Nghị định số 53/2026/NĐ-CP): the case is closed. */
export interface ConsultationClosedV1 {
  consultationId: string;
  issued: DocumentReference & { title?: string };
  at: string;
}

/** The plan dropped the task, or an operator cancelled it. */
export interface ConsultationCancelledV1 {
  consultationId: string;
  reason: string;
  at: string;
}

export const CONSULTATION_EVENT_TYPES = [
  'ConsultationOpened', 'ConsultationDeadlineSet', 'ConsultationMinistryRecorded', 'ConsultationDraftUploaded',
  'ConsultationCommentSubmitted', 'ConsultationCommentEdited', 'ConsultationCommentWithdrawn', 'ConsultationCommentDecided',
  'ConsultationResponseDrafted', 'ConsultationResponseSubmitted', 'ConsultationReminderSent', 'ConsultationDeadlinePassed',
  'ConsultationPartiesChanged', 'ConsultationClosed', 'ConsultationCancelled',
] as const;
export type ConsultationEventType = (typeof CONSULTATION_EVENT_TYPES)[number];
