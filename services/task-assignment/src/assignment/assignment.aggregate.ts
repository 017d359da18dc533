import {
  AssignmentChangedV1,
  AssignmentDeliverableSubmittedV1,
  AssignmentFocalPoint,
  AssignmentOpenedV1,
  AssignmentRole,
  AssignmentStatus,
  DueDateSource,
  Timeline,
} from '@thihanh/contracts';
import { daysBetween, EventSourcedAggregate, isRealDay } from '@thihanh/domain';
import {
  alreadyOpened,
  assignmentNotFound,
  duplicateDeliverable,
  extensionPending,
  forbidden,
  invalidCycle,
  invalidDate,
  invalidDeliverable,
  invalidExtension,
  invalidFocalPoint,
  invalidInstant,
  invalidPercent,
  noGate,
  noSuchRequest,
  nothingSubmitted,
  reasonRequired,
  sameAgency,
  transitionNotAllowed,
} from './assignment.errors';
import { AssignmentEvent } from './assignment.events';

export type AssignmentAction =
  | 'acknowledge'
  | 'reportProgress'
  | 'submitDeliverable'
  | 'requestExtension'
  | 'grantExtension'
  | 'refuseExtension'
  | 'accept'
  | 'return'
  | 'reassign'
  | 'block'
  | 'unblock'
  | 'openGate'
  | 'setDueDate'
  | 'applyPlanChange'
  | 'cancel';

/** What the plan says about the case; the fan-out builds it per task × agency × cycle. */
export type AssignmentOpening = Omit<AssignmentOpenedV1, 'assignmentId' | 'status'>;

export type DeliverableInput = Omit<AssignmentDeliverableSubmittedV1, 'assignmentId' | 'at'>;

/**
 * The case's fields as an amended plan gives them (the AssignmentChanged fields); fields left out are
 * not compared. `dueBefore` is the plan's own date for this cycle: compared with the plan's previous
 * date, not with an extension.
 */
export type PlanChange = Omit<AssignmentChangedV1, 'assignmentId' | 'changes' | 'status'>;

export interface ExtensionRequest {
  requestId: string;
  newDueBefore: string;
  reason: string;
}

type DeadlineNotice = 'due-soon-7' | 'due-soon-1' | 'overdue' | 'escalated';

/**
 * Gated tasks wait for their gate; dependent tasks wait for their due date (the consultation's
 * deadline). Nobody can act on a case that cannot be worked yet, and its clock does not run.
 * Everything else — fixed, recurring, ongoing, unspecified — is `assigned` at once.
 */
export function openingStatus(timeline: Timeline | null, dueBefore: string | null): 'waiting' | 'assigned' {
  if (timeline?.kind === 'gated') return 'waiting';
  if (timeline?.kind === 'dependent' && dueBefore === null) return 'waiting';
  return 'assigned';
}

/** In canonical order: the agency's work, the reviewer's decisions, then the operator's and the plan's. */
const ALLOWED: Record<AssignmentStatus, readonly AssignmentAction[]> = {
  waiting: ['reassign', 'applyPlanChange', 'cancel'],
  assigned: ['acknowledge', 'requestExtension', 'grantExtension', 'refuseExtension', 'reassign', 'block', 'setDueDate', 'applyPlanChange', 'cancel'],
  acknowledged: [
    'reportProgress', 'submitDeliverable', 'requestExtension', 'grantExtension', 'refuseExtension', 'reassign', 'block', 'setDueDate',
    'applyPlanChange', 'cancel',
  ],
  // Accepting needs a deliverable on file, which an in-progress case has after a return.
  in_progress: [
    'reportProgress', 'submitDeliverable', 'requestExtension', 'grantExtension', 'refuseExtension', 'accept', 'reassign', 'block',
    'setDueDate', 'applyPlanChange', 'cancel',
  ],
  submitted: ['submitDeliverable', 'grantExtension', 'refuseExtension', 'accept', 'return', 'block', 'setDueDate', 'applyPlanChange', 'cancel'],
  returned: [
    'reportProgress', 'submitDeliverable', 'requestExtension', 'grantExtension', 'refuseExtension', 'accept', 'reassign', 'block',
    'setDueDate', 'applyPlanChange', 'cancel',
  ],
  blocked: ['unblock', 'grantExtension', 'refuseExtension', 'setDueDate', 'applyPlanChange', 'cancel'],
  accepted: [],
  cancelled: [],
};

/** Where the clock runs: not before the case opens, not once the work is handed in. */
const DEADLINE_STATUSES: ReadonlySet<string> = new Set(['assigned', 'acknowledged', 'in_progress', 'returned', 'blocked']);

/**
 * One case: a task of an issued plan, for one responsible agency, for one cycle. Lifecycle:
 * waiting → assigned → acknowledged → in_progress → submitted → accepted, or returned and worked
 * again; blocked and unblocked back to where it was; cancelled when the plan drops it. Who may act is
 * the handler's question (see `authorize`); what may happen now is the aggregate's.
 */
export class Assignment extends EventSourcedAggregate<AssignmentEvent> {
  status: AssignmentStatus | 'new' = 'new';
  planId = '';
  /** The plan version that opened the case or last changed it. */
  planVersion = 0;
  taskNumber = '';
  taskTitle = '';
  assignedAgencyId = '';
  role: AssignmentRole = 'implementer';
  cycle = 'once';
  timeline: Timeline | null = null;
  /** The due date in force: the plan's, or one set since (consultation, gate, extension, operator). */
  dueBefore: string | null = null;
  /** The plan's own date, so that an amendment which leaves it alone leaves an extension alone. */
  planDueBefore: string | null = null;
  leadAgencyIds: string[] = [];
  planCoordinatorAgencyId: string | null = null;
  deliverablesExpected: string[] = [];
  focalPoint: AssignmentFocalPoint | null = null;
  percent: number | null = null;
  deliverables: DeliverableInput[] = [];
  pendingExtension: ExtensionRequest | null = null;
  private statusBeforeBlock: AssignmentStatus | null = null;
  /** Deadline events already raised for the current due date. */
  private notices = new Set<DeadlineNotice>();

  get isFinal(): boolean {
    return this.status === 'accepted' || this.status === 'cancelled';
  }

  /** What a waiting case waits for, and so the one action that opens it. */
  get waitingFor(): 'gate' | 'due date' | null {
    if (this.status !== 'waiting') return null;
    return this.timeline?.kind === 'gated' ? 'gate' : 'due date';
  }

  /** What may happen to the case now, whoever asks. */
  get allowedActions(): readonly AssignmentAction[] {
    if (this.status === 'new') return [];
    if (this.status === 'waiting') return [this.waitingFor === 'gate' ? 'openGate' : 'setDueDate', ...ALLOWED.waiting];
    return ALLOWED[this.status];
  }

  open(spec: AssignmentOpening): void {
    if (this.status !== 'new') throw alreadyOpened(this.id, this.status);
    if (spec.cycle !== 'once' && !/^\d{4}$/.test(spec.cycle)) throw invalidCycle(spec.cycle);
    checkDay('dueBefore', spec.dueBefore);
    this.raise({
      type: 'AssignmentOpened',
      data: {
        assignmentId: this.id,
        planId: spec.planId,
        planVersion: spec.planVersion,
        taskNumber: spec.taskNumber,
        taskTitle: spec.taskTitle,
        agencyId: spec.agencyId,
        role: spec.role,
        cycle: spec.cycle,
        timeline: spec.timeline,
        dueBefore: spec.dueBefore,
        status: openingStatus(spec.timeline, spec.dueBefore),
        leadAgencyIds: spec.leadAgencyIds,
        planCoordinatorAgencyId: spec.planCoordinatorAgencyId,
        deliverablesExpected: spec.deliverablesExpected,
      },
    });
  }

  acknowledge(focalPoint: AssignmentFocalPoint, at: string): void {
    this.guard('acknowledge');
    checkInstant(at);
    if (!focalPoint.name?.trim()) throw invalidFocalPoint('a name is required');
    if (focalPoint.email !== undefined && !/^[^\s@]+@[^\s@]+$/.test(focalPoint.email)) throw invalidFocalPoint(`"${focalPoint.email}" is not an e-mail address`);
    this.raise({ type: 'AssignmentAcknowledged', data: { assignmentId: this.id, focalPoint: compact(focalPoint), at } });
  }

  /** Progress may go down: a report can correct an optimistic one. */
  reportProgress(percent: number, note: string, at: string): void {
    this.guard('reportProgress');
    checkInstant(at);
    if (!Number.isFinite(percent) || percent < 0 || percent > 100) throw invalidPercent(percent);
    this.raise({ type: 'AssignmentProgressReported', data: { assignmentId: this.id, percent, note, at } });
  }

  submitDeliverable(deliverable: DeliverableInput, at: string): void {
    this.guard('submitDeliverable');
    checkInstant(at);
    this.raise(this.deliverableSubmitted(deliverable, at));
  }

  /**
   * The consultation this case stands for sent its response upward (decree-consultation's
   * ConsultationResponseSubmitted): the response document is the deliverable and the case is done,
   * from any open state. The system does this, not an agency.
   */
  fulfil(deliverable: DeliverableInput, at: string): void {
    if (this.status === 'new') throw assignmentNotFound(this.id);
    if (this.isFinal) throw transitionNotAllowed('fulfil', this.status, this.allowedActions, this.waitingFor ?? undefined);
    checkInstant(at);
    this.raise(this.deliverableSubmitted(deliverable, at));
    this.raise({ type: 'AssignmentAccepted', data: { assignmentId: this.id, at, note: 'Đã gửi văn bản góp ý / the response was submitted' } });
  }

  private deliverableSubmitted(deliverable: DeliverableInput, at: string): AssignmentEvent {
    const { deliverableId, title, documentNumber, documentDate, link, file } = deliverable;
    if (!deliverableId?.trim()) throw invalidDeliverable('an id is required');
    if (this.deliverables.some((d) => d.deliverableId === deliverableId)) throw duplicateDeliverable(deliverableId);
    if (!title?.trim()) throw invalidDeliverable('a title is required');
    if (documentDate !== undefined && !isRealDay(documentDate)) throw invalidDeliverable(`document date "${documentDate}" is not a real date (YYYY-MM-DD)`);
    if (link === undefined && file === undefined) throw invalidDeliverable('give a link or a file');
    if (link !== undefined && !/^https?:\/\/\S+$/i.test(link)) throw invalidDeliverable(`"${link}" is not an http(s) link`);
    if (file !== undefined) {
      if (!/^[0-9a-f]{64}$/i.test(file.sha256 ?? '')) throw invalidDeliverable(`file sha256 "${file.sha256}" is not 64 hexadecimal digits`);
      if (!file.name?.trim()) throw invalidDeliverable('the file needs a name');
      if (!Number.isInteger(file.size) || file.size < 0) throw invalidDeliverable(`file size ${file.size} is not a byte count`);
    }
    return {
      type: 'AssignmentDeliverableSubmitted',
      data: {
        assignmentId: this.id,
        ...compact({ deliverableId, title, documentNumber, documentDate, link }),
        ...(file ? { file: { name: file.name, sha256: file.sha256.toLowerCase(), size: file.size } } : {}),
        at,
      },
    };
  }

  /** One request at a time; the request id is the caller's (ids are inputs). */
  requestExtension(requestId: string, newDueBefore: string, reason: string, at: string): void {
    this.guard('requestExtension');
    checkInstant(at);
    if (this.pendingExtension) throw extensionPending(this.pendingExtension.requestId);
    checkReason('requestExtension', reason);
    this.checkExtension(newDueBefore);
    this.raise({ type: 'AssignmentExtensionRequested', data: { assignmentId: this.id, requestId, newDueBefore, reason, at } });
  }

  /** Grants the date asked for, or `newDueBefore` when the reviewer grants another (still later than now). */
  grantExtension(requestId: string, at: string, newDueBefore?: string): void {
    this.guard('grantExtension');
    checkInstant(at);
    const request = this.pendingRequest(requestId);
    const day = newDueBefore ?? request.newDueBefore;
    this.checkExtension(day);
    this.raise({ type: 'AssignmentExtensionGranted', data: { assignmentId: this.id, requestId, newDueBefore: day, at } });
  }

  refuseExtension(requestId: string, reason: string, at: string): void {
    this.guard('refuseExtension');
    checkInstant(at);
    this.pendingRequest(requestId);
    checkReason('refuseExtension', reason);
    this.raise({ type: 'AssignmentExtensionRefused', data: { assignmentId: this.id, requestId, reason, at } });
  }

  accept(at: string, note?: string): void {
    this.guard('accept');
    checkInstant(at);
    if (this.deliverables.length === 0) throw nothingSubmitted();
    this.raise({ type: 'AssignmentAccepted', data: { assignmentId: this.id, at, ...compact({ note }) } });
  }

  /** Returns the submission for rework; the next progress report or submission takes it up again. */
  return(reason: string, at: string): void {
    this.guard('return');
    checkInstant(at);
    checkReason('return', reason);
    this.raise({ type: 'AssignmentReturned', data: { assignmentId: this.id, reason, at } });
  }

  /** The new agency names its own focal point: an open case goes back to `assigned`. */
  reassign(toAgencyId: string, reason: string, at: string): void {
    this.guard('reassign');
    checkInstant(at);
    if (toAgencyId === this.assignedAgencyId) throw sameAgency(toAgencyId);
    checkReason('reassign', reason);
    this.raise({ type: 'AssignmentReassigned', data: { assignmentId: this.id, fromAgencyId: this.assignedAgencyId, toAgencyId, reason, at } });
  }

  block(reason: string, at: string): void {
    this.guard('block');
    checkInstant(at);
    checkReason('block', reason);
    this.raise({ type: 'AssignmentBlocked', data: { assignmentId: this.id, reason, at } });
  }

  unblock(reason: string, at: string): void {
    this.guard('unblock');
    checkInstant(at);
    checkReason('unblock', reason);
    this.raise({ type: 'AssignmentUnblocked', data: { assignmentId: this.id, reason, at } });
  }

  /** A gated case: the operator records the event it waited for; it opens, with a due date if one came with it. */
  openGate(gate: string, at: string, dueBefore?: string): void {
    this.guard('openGate');
    checkInstant(at);
    if (!gate?.trim()) throw noGate();
    checkDay('dueBefore', dueBefore);
    this.raise({ type: 'AssignmentGateOpened', data: { assignmentId: this.id, gate, at, ...compact({ dueBefore }) } });
  }

  /**
   * A due date from outside the plan (the consultation's deadline for a dependent task, an operator).
   * The same date again is no news: redelivered deadlines raise nothing.
   */
  setDueDate(dueBefore: string, source: DueDateSource, sourceRef?: string): void {
    this.guard('setDueDate');
    checkDay('dueBefore', dueBefore);
    if (dueBefore === this.dueBefore && this.status !== 'waiting') return;
    this.raise({ type: 'AssignmentDueDateSet', data: { assignmentId: this.id, dueBefore, source, ...compact({ sourceRef }) } });
  }

  /**
   * An amended plan, as it now reads for this case. Only differences are recorded; an older or
   * repeated version changes nothing. A waiting case the change no longer holds back opens.
   */
  applyPlanChange(change: PlanChange): void {
    if (this.status === 'new') throw assignmentNotFound(this.id);
    if (change.planVersion <= this.planVersion) return;
    this.guard('applyPlanChange');
    checkDay('dueBefore', change.dueBefore);
    const data: AssignmentChangedV1 = { assignmentId: this.id, planVersion: change.planVersion, changes: [] };
    if (change.taskTitle !== undefined && change.taskTitle !== this.taskTitle) data.taskTitle = change.taskTitle;
    if (change.timeline !== undefined && !same(change.timeline, this.timeline)) data.timeline = change.timeline;
    if (change.dueBefore !== undefined && change.dueBefore !== this.planDueBefore) data.dueBefore = change.dueBefore;
    if (change.role !== undefined && change.role !== this.role) data.role = change.role;
    if (change.leadAgencyIds !== undefined && !same(change.leadAgencyIds, this.leadAgencyIds)) data.leadAgencyIds = change.leadAgencyIds;
    if (change.planCoordinatorAgencyId !== undefined && change.planCoordinatorAgencyId !== this.planCoordinatorAgencyId) {
      data.planCoordinatorAgencyId = change.planCoordinatorAgencyId;
    }
    if (change.deliverablesExpected !== undefined && !same(change.deliverablesExpected, this.deliverablesExpected)) {
      data.deliverablesExpected = change.deliverablesExpected;
    }
    data.changes = CHANGE_FIELDS.filter((f) => f in data);
    if (!data.changes.length) return;
    const timeline = data.timeline === undefined ? this.timeline : data.timeline;
    const dueBefore = data.dueBefore === undefined ? this.dueBefore : data.dueBefore;
    if (this.status === 'waiting' && openingStatus(timeline, dueBefore) === 'assigned') {
      data.status = 'assigned';
      data.changes.push('status');
    }
    this.raise({ type: 'AssignmentChanged', data });
  }

  /** `planVersion`: the amendment that dropped the case, or its own version when an operator cancels it. */
  cancel(reason: string, planVersion: number): void {
    this.guard('cancel');
    checkReason('cancel', reason);
    this.raise({ type: 'AssignmentCancelled', data: { assignmentId: this.id, reason, planVersion } });
  }

  /**
   * Run once a day (or more: it is idempotent) with the day in Vietnam. Raises each threshold the
   * current due date has reached and not yet raised, in order — a case first seen long past its date
   * gets all of them at once. A new due date re-arms them; submitted, final and waiting cases get none.
   */
  checkDeadlines(today: string): void {
    if (this.status === 'new') throw assignmentNotFound(this.id);
    checkDay('today', today);
    const dueBefore = this.dueBefore;
    if (!DEADLINE_STATUSES.has(this.status) || dueBefore === null) return;
    const daysLeft = daysBetween(today, dueBefore);
    const escalateTo = this.planCoordinatorAgencyId ?? this.leadAgencyIds.find((id) => id !== this.assignedAgencyId) ?? null;
    const assignmentId = this.id;
    const reached: [DeadlineNotice, AssignmentEvent][] = [];
    if (daysLeft <= 7) reached.push(['due-soon-7', { type: 'AssignmentDueSoon', data: { assignmentId, dueBefore, daysLeft: 7 } }]);
    if (daysLeft <= 1) reached.push(['due-soon-1', { type: 'AssignmentDueSoon', data: { assignmentId, dueBefore, daysLeft: 1 } }]);
    if (daysLeft <= 0) reached.push(['overdue', { type: 'AssignmentOverdue', data: { assignmentId, dueBefore } }]);
    // Nobody to escalate to (no plan coordinator, the agency its task's only lead): the board shows it overdue.
    if (daysLeft <= -7 && escalateTo !== null) {
      reached.push(['escalated', { type: 'AssignmentEscalated', data: { assignmentId, dueBefore, daysOverdue: 7, toAgencyId: escalateTo } }]);
    }
    for (const [notice, event] of reached) {
      if (!this.notices.has(notice)) this.raise(event);
    }
  }

  protected apply(event: AssignmentEvent): void {
    switch (event.type) {
      case 'AssignmentOpened': {
        const d = event.data;
        this.status = d.status;
        this.planId = d.planId;
        this.planVersion = d.planVersion;
        this.taskNumber = d.taskNumber;
        this.taskTitle = d.taskTitle;
        this.assignedAgencyId = d.agencyId;
        this.role = d.role;
        this.cycle = d.cycle;
        this.timeline = d.timeline;
        this.planDueBefore = d.dueBefore;
        this.setDue(d.dueBefore);
        this.leadAgencyIds = d.leadAgencyIds;
        this.planCoordinatorAgencyId = d.planCoordinatorAgencyId;
        this.deliverablesExpected = d.deliverablesExpected;
        break;
      }
      case 'AssignmentAcknowledged':
        this.status = 'acknowledged';
        this.focalPoint = event.data.focalPoint;
        break;
      case 'AssignmentProgressReported':
        this.status = 'in_progress';
        this.percent = event.data.percent;
        break;
      case 'AssignmentDeliverableSubmitted': {
        const { assignmentId: _id, at: _at, ...deliverable } = event.data;
        this.status = 'submitted';
        this.deliverables = [...this.deliverables, deliverable];
        break;
      }
      case 'AssignmentExtensionRequested':
        this.pendingExtension = { requestId: event.data.requestId, newDueBefore: event.data.newDueBefore, reason: event.data.reason };
        break;
      case 'AssignmentExtensionGranted':
        this.pendingExtension = null;
        this.setDue(event.data.newDueBefore);
        break;
      case 'AssignmentExtensionRefused':
        this.pendingExtension = null;
        break;
      case 'AssignmentAccepted':
        this.status = 'accepted';
        this.pendingExtension = null;
        break;
      case 'AssignmentReturned':
        this.status = 'returned';
        break;
      case 'AssignmentReassigned':
        this.assignedAgencyId = event.data.toAgencyId;
        this.focalPoint = null;
        // The previous agency's request is not the new agency's to pursue.
        this.pendingExtension = null;
        if (this.status !== 'waiting') this.status = 'assigned';
        break;
      case 'AssignmentBlocked':
        if (this.status !== 'new' && this.status !== 'blocked') this.statusBeforeBlock = this.status;
        this.status = 'blocked';
        break;
      case 'AssignmentUnblocked':
        this.status = this.statusBeforeBlock ?? 'assigned';
        this.statusBeforeBlock = null;
        break;
      case 'AssignmentDueDateSet':
        this.setDue(event.data.dueBefore);
        if (this.status === 'waiting') this.status = 'assigned';
        break;
      case 'AssignmentGateOpened':
        this.status = 'assigned';
        if (event.data.dueBefore !== undefined) this.setDue(event.data.dueBefore);
        break;
      case 'AssignmentCancelled':
        this.status = 'cancelled';
        this.pendingExtension = null;
        this.planVersion = Math.max(this.planVersion, event.data.planVersion);
        break;
      case 'AssignmentChanged': {
        const d = event.data;
        this.planVersion = d.planVersion;
        if (d.taskTitle !== undefined) this.taskTitle = d.taskTitle;
        if (d.timeline !== undefined) this.timeline = d.timeline;
        if (d.changes.includes('dueBefore')) {
          this.planDueBefore = d.dueBefore ?? null;
          this.setDue(d.dueBefore ?? null);
        }
        if (d.role !== undefined) this.role = d.role;
        if (d.leadAgencyIds !== undefined) this.leadAgencyIds = d.leadAgencyIds;
        if (d.planCoordinatorAgencyId !== undefined) this.planCoordinatorAgencyId = d.planCoordinatorAgencyId;
        if (d.deliverablesExpected !== undefined) this.deliverablesExpected = d.deliverablesExpected;
        if (d.status !== undefined) this.status = d.status;
        break;
      }
      case 'AssignmentDueSoon':
        if (event.data.dueBefore === this.dueBefore) this.notices.add(event.data.daysLeft === 7 ? 'due-soon-7' : 'due-soon-1');
        break;
      case 'AssignmentOverdue':
        if (event.data.dueBefore === this.dueBefore) this.notices.add('overdue');
        break;
      case 'AssignmentEscalated':
        if (event.data.dueBefore === this.dueBefore) this.notices.add('escalated');
        break;
    }
  }

  private guard(action: AssignmentAction): void {
    if (this.status === 'new') throw assignmentNotFound(this.id);
    const allowed = this.allowedActions;
    if (!allowed.includes(action)) throw transitionNotAllowed(action, this.status, allowed, this.waitingFor ?? undefined);
  }

  private pendingRequest(requestId: string): ExtensionRequest {
    const pending = this.pendingExtension;
    if (!pending || pending.requestId !== requestId) throw noSuchRequest(requestId, pending?.requestId ?? null);
    return pending;
  }

  private checkExtension(newDueBefore: string): void {
    if (!isRealDay(newDueBefore)) throw invalidExtension('not a real date (YYYY-MM-DD)', newDueBefore, this.dueBefore);
    if (this.dueBefore === null) throw invalidExtension('the case has no due date to extend', newDueBefore, this.dueBefore);
    if (newDueBefore <= this.dueBefore) throw invalidExtension(`must be after the current due date ${this.dueBefore}`, newDueBefore, this.dueBefore);
  }

  private setDue(dueBefore: string | null): void {
    if (dueBefore !== this.dueBefore) this.notices.clear();
    this.dueBefore = dueBefore;
  }
}

const CHANGE_FIELDS = ['taskTitle', 'timeline', 'dueBefore', 'role', 'leadAgencyIds', 'planCoordinatorAgencyId', 'deliverablesExpected'] as const;

export interface AssignmentActor {
  agencyId: string;
  roles: readonly string[];
}

/** The parties of a case, from the aggregate or from a read-model row. */
export type AssignmentParties = Pick<Assignment, 'id' | 'assignedAgencyId' | 'leadAgencyIds' | 'planCoordinatorAgencyId'>;

const AGENCY_ACTIONS: ReadonlySet<AssignmentAction> = new Set(['acknowledge', 'reportProgress', 'submitDeliverable', 'requestExtension']);
const REVIEW_ACTIONS: ReadonlySet<AssignmentAction> = new Set(['accept', 'return', 'grantExtension', 'refuseExtension', 'reassign', 'block', 'unblock']);

/**
 * The assigned agency (member or coordinator) does the work. The task's lead agencies and the plan's
 * coordinator agency (as coordinators) review it — a lead never its own case, which the plan's
 * coordinator reviews. Operators review too and alone record due dates and gates, apply plan changes
 * and cancel. Auditors read. The plan registry's own events reach the case without an actor check.
 */
export function mayPerform(assignment: AssignmentParties, actor: AssignmentActor, action: AssignmentAction): boolean {
  const has = (role: string) => actor.roles.includes(role);
  if (AGENCY_ACTIONS.has(action)) return actor.agencyId === assignment.assignedAgencyId && (has('member') || has('coordinator'));
  if (has('operator')) return true;
  if (!REVIEW_ACTIONS.has(action) || !has('coordinator')) return false;
  const leadsAnother = assignment.leadAgencyIds.includes(actor.agencyId) && actor.agencyId !== assignment.assignedAgencyId;
  return leadsAnother || actor.agencyId === assignment.planCoordinatorAgencyId;
}

/** Throws `ASSIGNMENT.FORBIDDEN` (403) unless the actor may perform the action on this case. */
export function authorize(assignment: AssignmentParties, actor: AssignmentActor, action: AssignmentAction): void {
  if (!mayPerform(assignment, actor, action)) throw forbidden(action, actor.agencyId, assignment.id);
}

function checkDay(where: string, value: string | null | undefined): void {
  if (value != null && !isRealDay(value)) throw invalidDate(where, value);
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function checkInstant(value: string): void {
  if (!INSTANT.test(value) || Number.isNaN(Date.parse(value))) throw invalidInstant('at', value);
}

function checkReason(action: string, reason: string): void {
  if (!reason?.trim()) throw reasonRequired(action);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Drops undefined fields, so payloads read the same before and after JSON. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
