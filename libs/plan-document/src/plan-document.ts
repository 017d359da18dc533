import type { LegalBasis, Party, ReportingFrequency, Timeline } from '@thihanh/contracts';

/**
 * What the importer makes of a plan document: a draft for an operator to review, never an issued
 * plan. The fields of `PlanContent` (libs/contracts) plus where each thing came from and what
 * could not be understood (`unparsed`, `problems`).
 */
export interface ParsedPlan {
  /** Province slug used in agency ids ("son-la"), from "tỉnh Sơn La" in the title, header or place. */
  province: string | null;
  /** "215/KH-UBND"; null when the document has none or leaves it blank ("Số: /KH-UBND"). */
  number: string | null;
  title: string;
  /** As written: "Ủy ban nhân dân tỉnh Bắc Ninh", "Chủ tịch Ủy ban nhân dân tỉnh". */
  issuer: string | null;
  issuerAgencyId: string | null;
  place: string | null;
  /** YYYY-MM-DD; null when the day is left blank ("ngày tháng 4 năm 2026"). */
  issuedOn: string | null;
  /** The decision a plan is attached to: "(Kèm theo Quyết định số /QĐ-UBND ...)". */
  approvedBy: ParsedLegalBasis | null;
  legalBasis: ParsedLegalBasis[];
  purpose: string | null;
  requirements: string | null;
  funding: string | null;
  /** Section "Tổ chức thực hiện", where reporting rules and the coordinating agency are found. */
  organization: string | null;
  reporting: ParsedReportingRule[];
  /** The agency told to follow up the plan ("Giao Công an tỉnh làm đầu mối theo dõi ..."). */
  coordinatorAgencyId: string | null;
  /** "Nơi nhận", item by item as written. */
  recipients: string[];
  signer: { title: string | null; name: string } | null;
  footnotes: { mark: string; text: string; line: number }[];
  tasks: ParsedTask[];
  /** Lines that carry something the parser did not capture anywhere above. */
  unparsed: UnparsedLine[];
  problems: Problem[];
}

export interface ParsedTask {
  /** "4", "4.a", "4.1"; in an appendix table under a Roman group row, "I.1". */
  number: string;
  parent: string | null;
  title: string;
  /** "Nội dung: ..." and any unlabelled paragraph under the task; "" when there is none. */
  content: string;
  lead: Party[];
  implementers: Party[];
  coordinators: Party[];
  timeline: ParsedTimeline | null;
  deliverables: string[];
  /** "điểm a khoản 1 Điều 5", "khoản 4 Điều 25", "Điều 29": one per point, clause or article. */
  legalRefs: string[];
  /** Line of the task's heading (or table row). */
  line: number;
}

export interface ParsedTimeline extends Timeline {
  gate: string | null;
  dependsOn: string | null;
}

export interface ParsedLegalBasis extends LegalBasis {
  issuedOn: string | null;
}

export interface ParsedReportingRule {
  frequency: ReportingFrequency;
  dueMonthDay: string | null;
  recipient: string | null;
  recipientAgencyId: string | null;
  /** "(qua Công an tỉnh)": the body that receives the report on the recipient's behalf. */
  via: string | null;
  line: number;
}

export interface UnparsedLine {
  line: number;
  text: string;
  reason: string;
}

export type ProblemCode =
  | 'AGENCY_UNKNOWN'
  | 'AGENCY_AMBIGUOUS'
  | 'DATE_INVALID'
  | 'NUMBERING_GAP'
  | 'TASK_DUPLICATE'
  | 'PROVINCE_UNKNOWN'
  | 'NO_TASKS';

export interface Problem {
  code: ProblemCode;
  line: number | null;
  message: string;
}

export type { Party };
