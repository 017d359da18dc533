import { Timeline } from './plan-registry.events';

/**
 * Events of the task-assignment service (topic `thihanh.task-assignment.events.v1`, keyed by the stream
 * id `assignment-<assignmentId>`). One case per task × responsible agency × cycle of an issued plan,
 * from issue to acceptance. Every payload carries `assignmentId`; instants (`at`) are ISO 8601 strings,
 * days (`dueBefore`, `documentDate`) are YYYY-MM-DD in Vietnam time, due before that day begins.
 */
export const ASSIGNMENT_ROLES = ['lead', 'implementer', 'coordinator'] as const;
export type AssignmentRole = (typeof ASSIGNMENT_ROLES)[number];

/**
 * `waiting`: the case exists but cannot be worked yet — a gated task until its gate is recorded, a
 * dependent task until its due date arrives. `accepted` and `cancelled` are final.
 */
export const ASSIGNMENT_STATUSES = [
  'waiting', 'assigned', 'acknowledged', 'in_progress', 'submitted', 'returned', 'accepted', 'blocked', 'cancelled',
] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

export const DUE_DATE_SOURCES = ['consultation', 'plan-amendment', 'operator'] as const;
export type DueDateSource = (typeof DUE_DATE_SOURCES)[number];

/** The case fields a plan amendment can change, plus `status` when the change releases a waiting case. */
export const ASSIGNMENT_CHANGE_FIELDS = [
  'taskTitle', 'timeline', 'dueBefore', 'role', 'leadAgencyIds', 'planCoordinatorAgencyId', 'deliverablesExpected', 'status',
] as const;
export type AssignmentChangeField = (typeof ASSIGNMENT_CHANGE_FIELDS)[number];

/** The agency's contact person for the case (đầu mối). */
export interface AssignmentFocalPoint {
  name: string;
  title?: string;
  phone?: string;
  email?: string;
}

export interface DeliverableFile {
  name: string;
  /** Lower-case hex SHA-256 of the file's bytes (64 characters). */
  sha256: string;
  size: number;
}

/** A plan's issue (or a recurring task's new year) opens a case for one task, agency and cycle. */
export interface AssignmentOpenedV1 {
  assignmentId: string;
  planId: string;
  planVersion: number;
  taskNumber: string;
  taskTitle: string;
  agencyId: string;
  role: AssignmentRole;
  /** 'once', or the year of a recurring task's cycle ('2026'). */
  cycle: string;
  timeline: Timeline | null;
  dueBefore: string | null;
  /** Gated tasks, and dependent tasks without a due date yet, open `waiting`; all others `assigned`. */
  status: Extract<AssignmentStatus, 'waiting' | 'assigned'>;
  /** The task's lead agencies, whose cases the coordinators' contributions feed; they review the task's cases. */
  leadAgencyIds: string[];
  planCoordinatorAgencyId: string | null;
  deliverablesExpected: string[];
}

/** The agency takes the case on and names its focal point. */
export interface AssignmentAcknowledgedV1 {
  assignmentId: string;
  focalPoint: AssignmentFocalPoint;
  at: string;
}

/** The agency reports how far the work is. */
export interface AssignmentProgressReportedV1 {
  assignmentId: string;
  /** 0–100; may go down (work found to be less advanced than reported). */
  percent: number;
  note: string;
  at: string;
}

/** The agency hands in a deliverable (a document, a link, a file) for review. */
export interface AssignmentDeliverableSubmittedV1 {
  assignmentId: string;
  deliverableId: string;
  title: string;
  /** Số ký hiệu văn bản, e.g. "45/BC-STP". */
  documentNumber?: string;
  documentDate?: string;
  /** A link to the deliverable, or a `file` (or both). */
  link?: string;
  file?: DeliverableFile;
  at: string;
}

/** The agency asks for a later due date, with its reason. */
export interface AssignmentExtensionRequestedV1 {
  assignmentId: string;
  requestId: string;
  newDueBefore: string;
  reason: string;
  at: string;
}

/** The reviewer grants an extension: the case's due date moves. */
export interface AssignmentExtensionGrantedV1 {
  assignmentId: string;
  requestId: string;
  /** The new due date: the one requested, or another the reviewer grants instead. */
  newDueBefore: string;
  at: string;
}

/** The reviewer refuses an extension, with a reason. */
export interface AssignmentExtensionRefusedV1 {
  assignmentId: string;
  requestId: string;
  reason: string;
  at: string;
}

/** The reviewer accepts the work: the case is done (final). */
export interface AssignmentAcceptedV1 {
  assignmentId: string;
  at: string;
  note?: string;
}

/** The reviewer returns the work for rework, with a reason. */
export interface AssignmentReturnedV1 {
  assignmentId: string;
  reason: string;
  at: string;
}

/** The case moves to another agency, which must acknowledge it again: back to `assigned` (a waiting case stays waiting). */
export interface AssignmentReassignedV1 {
  assignmentId: string;
  fromAgencyId: string;
  toAgencyId: string;
  reason: string;
  at: string;
}

/** The case cannot go on for now, with a reason. */
export interface AssignmentBlockedV1 {
  assignmentId: string;
  reason: string;
  at: string;
}

/** Back to the status the case had when it was blocked. */
export interface AssignmentUnblockedV1 {
  assignmentId: string;
  reason: string;
  at: string;
}

/** A due date arrives or changes outside the plan's own dates; a case waiting for it becomes `assigned`. */
export interface AssignmentDueDateSetV1 {
  assignmentId: string;
  dueBefore: string;
  source: DueDateSource;
  /** E.g. the consultation id, or the operator's reference. */
  sourceRef?: string;
}

/** The external event a gated task waits for happened; the case becomes `assigned`. */
export interface AssignmentGateOpenedV1 {
  assignmentId: string;
  /** What happened, as recorded ("Bộ Công an tổ chức tập huấn ngày 12/6/2026"). */
  gate: string;
  at: string;
  dueBefore?: string;
}

/** A plan amendment removed the case, or an operator cancelled it (final). */
export interface AssignmentCancelledV1 {
  assignmentId: string;
  reason: string;
  /** The plan version that removed the case (or the case's version, when an operator cancels it). */
  planVersion: number;
}

/**
 * A plan amendment changed the case. `changes` names the fields present; each present field carries
 * its new value. `status: 'assigned'` appears when the change released a waiting case.
 */
export interface AssignmentChangedV1 {
  assignmentId: string;
  planVersion: number;
  changes: AssignmentChangeField[];
  taskTitle?: string;
  timeline?: Timeline | null;
  dueBefore?: string | null;
  role?: AssignmentRole;
  leadAgencyIds?: string[];
  planCoordinatorAgencyId?: string | null;
  deliverablesExpected?: string[];
  status?: 'assigned';
}

/** The scheduler: an open case is due in a week, then in a day. */
export interface AssignmentDueSoonV1 {
  assignmentId: string;
  dueBefore: string;
  /** The reminder threshold reached (a week, a day), not a count computed at delivery. */
  daysLeft: 7 | 1;
}

/** The scheduler: an open case reached its due day without being handed in. */
export interface AssignmentOverdueV1 {
  assignmentId: string;
  dueBefore: string;
}

/** The scheduler: a case still open a week after its due day goes up to the plan's coordinator. */
export interface AssignmentEscalatedV1 {
  assignmentId: string;
  dueBefore: string;
  daysOverdue: 7;
  /** The plan's coordinator agency (or, when the plan names none, the task's lead). */
  toAgencyId: string;
}

/** Payload by stored type name. */
export interface TaskAssignmentEventData {
  AssignmentOpened: AssignmentOpenedV1;
  AssignmentAcknowledged: AssignmentAcknowledgedV1;
  AssignmentProgressReported: AssignmentProgressReportedV1;
  AssignmentDeliverableSubmitted: AssignmentDeliverableSubmittedV1;
  AssignmentExtensionRequested: AssignmentExtensionRequestedV1;
  AssignmentExtensionGranted: AssignmentExtensionGrantedV1;
  AssignmentExtensionRefused: AssignmentExtensionRefusedV1;
  AssignmentAccepted: AssignmentAcceptedV1;
  AssignmentReturned: AssignmentReturnedV1;
  AssignmentReassigned: AssignmentReassignedV1;
  AssignmentBlocked: AssignmentBlockedV1;
  AssignmentUnblocked: AssignmentUnblockedV1;
  AssignmentDueDateSet: AssignmentDueDateSetV1;
  AssignmentGateOpened: AssignmentGateOpenedV1;
  AssignmentCancelled: AssignmentCancelledV1;
  AssignmentChanged: AssignmentChangedV1;
  AssignmentDueSoon: AssignmentDueSoonV1;
  AssignmentOverdue: AssignmentOverdueV1;
  AssignmentEscalated: AssignmentEscalatedV1;
}

export const TASK_ASSIGNMENT_EVENT_TYPES = [
  'AssignmentOpened',
  'AssignmentAcknowledged',
  'AssignmentProgressReported',
  'AssignmentDeliverableSubmitted',
  'AssignmentExtensionRequested',
  'AssignmentExtensionGranted',
  'AssignmentExtensionRefused',
  'AssignmentAccepted',
  'AssignmentReturned',
  'AssignmentReassigned',
  'AssignmentBlocked',
  'AssignmentUnblocked',
  'AssignmentDueDateSet',
  'AssignmentGateOpened',
  'AssignmentCancelled',
  'AssignmentChanged',
  'AssignmentDueSoon',
  'AssignmentOverdue',
  'AssignmentEscalated',
] as const satisfies readonly (keyof TaskAssignmentEventData)[];
export type TaskAssignmentEventType = (typeof TASK_ASSIGNMENT_EVENT_TYPES)[number];
