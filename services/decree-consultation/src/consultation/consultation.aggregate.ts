import {
  CommentDecision,
  CommentLinkStatus,
  ConsultationCommentSubmittedV1,
  ConsultationOpenedV1,
  ConsultationResponseContent,
  ConsultationStatus,
  DeadlineSource,
  DocumentReference,
  RelinkedCommentV1,
} from '@thihanh/contracts';
import { seesEverything } from '@thihanh/auth';
import { daysBetween, EventSourcedAggregate, isRealDay, vietnamDay } from '@thihanh/domain';
import { LegalDocument, locate, parseAnchor, parseLegalDocument, relinkComments } from '@thihanh/legal-document';
import {
  alreadyOpened,
  commentNotFound,
  commentWithdrawn,
  consultationNotFound,
  deadlineInPast,
  deadlinePassed,
  forbidden,
  hasComments,
  invalidAnchor,
  invalidDate,
  noArticles,
  noCommentGiven,
  noResponse,
  noSuchPlace,
  notACoordinator,
  notAllowedNow,
  nothingToDecide,
  notYourComment,
  reasonRequired,
  required,
  sameDraft,
  undecidedComments,
} from './consultation.errors';
import { ConsultationEvent } from './consultation.events';

export type ConsultationAction =
  | 'setDeadline'
  | 'recordMinistry'
  | 'uploadDraft'
  | 'comment'
  | 'editComment'
  | 'withdrawComment'
  | 'decide'
  | 'draftResponse'
  | 'submitResponse'
  | 'close'
  | 'changeParties'
  | 'cancel';

export type ConsultationOpening = Omit<ConsultationOpenedV1, 'consultationId'>;

/** A comment as submitted (its latest edit), and what happened to it since. */
export type ConsultationComment = Omit<ConsultationCommentSubmittedV1, 'consultationId'> & {
  withdrawn: boolean;
  /** How its place fared in the latest draft; `linked` until a new draft says otherwise. */
  linkStatus: CommentLinkStatus;
  decision: { decision: CommentDecision; reason: string } | null;
};

export interface DraftVersion {
  draftVersion: number;
  file: { name: string; sha256: string; size: number };
  title: string | null;
  text: string;
  at: string;
}

type DeadlineNotice = 'remind-7' | 'remind-1' | 'passed';

/** What each status allows, whoever asks. */
const ALLOWED: Record<ConsultationStatus, readonly ConsultationAction[]> = {
  open: [
    'setDeadline', 'recordMinistry', 'uploadDraft', 'comment', 'editComment', 'withdrawComment', 'decide', 'draftResponse', 'submitResponse',
    'close', 'changeParties', 'cancel',
  ],
  // The response went upward; the ministry may still send a new draft to read, and the decree's issue closes the case.
  responded: ['recordMinistry', 'uploadDraft', 'close'],
  closed: [],
  cancelled: [],
};

/** Actions where the comment window matters: nothing changes in the comments once the deadline has come. */
const BEFORE_DEADLINE: ReadonlySet<ConsultationAction> = new Set(['comment', 'editComment', 'withdrawComment']);

/**
 * One consultation: a draft legal document the province comments on. The lead agency uploads the
 * drafts, the coordinating agencies comment place by place (or answer "không có ý kiến") until the
 * deadline, the lead decides on each comment, writes the consolidated response and submits it; the
 * document's issue closes the case. Who may act is `authorize`'s question; what may happen now is the
 * aggregate's. Time comes in as `at` (an ISO instant); "today" is its day in Vietnam.
 */
export class Consultation extends EventSourcedAggregate<ConsultationEvent> {
  status: ConsultationStatus | 'new' = 'new';
  planId: string | null = null;
  planVersion: number | null = null;
  taskNumber: string | null = null;
  draft = { type: '', title: '' };
  draftingMinistry: string | null = null;
  legalRefs: string[] = [];
  leadAgencyId = '';
  coordinatorAgencyIds: string[] = [];
  deadline: string | null = null;
  deadlineText: string | null = null;
  drafts: DraftVersion[] = [];
  readonly comments = new Map<string, ConsultationComment>();
  response: ConsultationResponseContent | null = null;
  submitted: { title: string; number: string; date: string; sha256?: string; submittedAt: string } | null = null;
  issued: (DocumentReference & { title?: string }) | null = null;
  private notices = new Set<DeadlineNotice>();
  private parsed: { version: number; document: LegalDocument } | null = null;

  get allowedActions(): readonly ConsultationAction[] {
    return this.status === 'new' ? [] : ALLOWED[this.status];
  }

  /** The latest draft, parsed once per load. */
  get currentDraft(): { version: number; document: LegalDocument } | null {
    const latest = this.drafts.at(-1);
    if (!latest) return null;
    if (this.parsed?.version !== latest.draftVersion) this.parsed = { version: latest.draftVersion, document: parseLegalDocument(latest.text) };
    return this.parsed;
  }

  /** Comments that count: not withdrawn. */
  get activeComments(): ConsultationComment[] {
    return [...this.comments.values()].filter((c) => !c.withdrawn);
  }

  /** Per coordinating agency: commented, answered "no comment", or not yet. */
  answers(): { agencyId: string; answer: 'commented' | 'no-comment' | 'none'; comments: number }[] {
    const byAgency = new Map<string, { comments: number; noComment: boolean }>();
    for (const c of this.activeComments) {
      const own = byAgency.get(c.agencyId) ?? { comments: 0, noComment: false };
      if (c.kind === 'comment') own.comments += 1;
      else own.noComment = true;
      byAgency.set(c.agencyId, own);
    }
    return this.coordinatorAgencyIds.map((agencyId) => {
      const { comments, noComment } = byAgency.get(agencyId) ?? { comments: 0, noComment: false };
      const answer = comments > 0 ? 'commented' : noComment ? 'no-comment' : 'none';
      return { agencyId, answer, comments };
    });
  }

  open(spec: ConsultationOpening): void {
    if (this.status !== 'new') throw alreadyOpened(this.id);
    if (!spec.draft.title?.trim()) throw required('The draft’s title');
    if (!spec.leadAgencyId?.trim()) throw required('The lead agency');
    checkDay('deadline', spec.deadline);
    const coordinatorAgencyIds = [...new Set(spec.coordinatorAgencyIds)].filter((id) => id !== spec.leadAgencyId);
    this.raise({ type: 'ConsultationOpened', data: { consultationId: this.id, ...spec, coordinatorAgencyIds } });
    if (spec.deadline !== null) {
      this.raise({
        type: 'ConsultationDeadlineSet',
        data: { consultationId: this.id, planId: spec.planId, taskNumber: spec.taskNumber, deadline: spec.deadline, source: spec.source === 'plan' ? 'plan' : 'operator' },
      });
    }
  }

  /**
   * The deadline in force: the ministry's request fixes one that followed the drafting schedule, or
   * moves it. The same date again is no news. A new date re-arms the reminders.
   */
  setDeadline(deadline: string, source: DeadlineSource, at: string, request?: DocumentReference & { ministry?: string }): void {
    this.guard('setDeadline');
    checkDay('deadline', deadline);
    if (request) checkDay('request.date', request.date);
    const today = vietnamDay(new Date(at));
    if (deadline <= today) throw deadlineInPast(deadline, today);
    if (deadline === this.deadline) return;
    this.raise({
      type: 'ConsultationDeadlineSet',
      data: { consultationId: this.id, planId: this.planId, taskNumber: this.taskNumber, deadline, source, ...(request ? { request } : {}) },
    });
    if (request?.ministry?.trim() && request.ministry.trim() !== this.draftingMinistry) {
      this.raise({ type: 'ConsultationMinistryRecorded', data: { consultationId: this.id, draftingMinistry: request.ministry.trim() } });
    }
  }

  recordMinistry(draftingMinistry: string): void {
    this.guard('recordMinistry');
    if (!draftingMinistry?.trim()) throw required('The drafting ministry');
    if (draftingMinistry.trim() === this.draftingMinistry) return;
    this.raise({ type: 'ConsultationMinistryRecorded', data: { consultationId: this.id, draftingMinistry: draftingMinistry.trim() } });
  }

  /**
   * A new draft version (its text as read from the file). The active comments on places of the
   * previous draft move to the new one: linked where the text they cite is unchanged, flagged where it
   * changed, orphaned where the place is gone.
   */
  uploadDraft(file: { name: string; sha256: string; size: number }, text: string, at: string): void {
    this.guard('uploadDraft');
    if (!/^[0-9a-f]{64}$/.test(file.sha256)) throw required('The file’s SHA-256');
    const existing = this.drafts.find((d) => d.file.sha256 === file.sha256);
    if (existing) throw sameDraft(existing.draftVersion);
    const document = parseLegalDocument(text);
    if (!document.articles.length) throw noArticles(file.name);
    const previous = this.currentDraft;
    const anchored = this.activeComments.filter((c) => c.anchor !== null).map((c) => ({ id: c.commentId, anchor: c.anchor! }));
    const relinked: RelinkedCommentV1[] = previous
      ? relinkComments(anchored, previous.document, document).map((r, i) => ({
          commentId: r.id,
          anchor: r.anchor,
          previousAnchor: anchored[i].anchor,
          status: r.status,
        }))
      : [];
    this.raise({
      type: 'ConsultationDraftUploaded',
      data: {
        consultationId: this.id,
        draftVersion: this.drafts.length + 1,
        file,
        title: document.title,
        text,
        articleCount: document.articles.length,
        unparsedLines: document.unparsed.length,
        relinked,
        at,
      },
    });
  }

  /** A coordinating agency's comment on a place of the latest draft, or in general (`anchor` null). */
  comment(commentId: string, agencyId: string, anchor: string | null, text: string, at: string): void {
    this.guardComment('comment', agencyId, at);
    if (!text?.trim()) throw required('The comment’s text');
    const own = this.ownActive(agencyId);
    const noComment = own.find((c) => c.kind === 'no-comment');
    if (noComment) throw noCommentGiven(agencyId);
    const draftVersion = this.checkPlace(anchor);
    this.raise({ type: 'ConsultationCommentSubmitted', data: { consultationId: this.id, commentId, agencyId, kind: 'comment', anchor, draftVersion, text: text.trim(), at } });
  }

  /** "Không có ý kiến": the agency has read the draft and has nothing to add. Once, and not beside comments. */
  answerNoComment(commentId: string, agencyId: string, at: string): void {
    this.guardComment('comment', agencyId, at);
    const own = this.ownActive(agencyId);
    if (own.some((c) => c.kind === 'no-comment')) return;
    if (own.length) throw hasComments(agencyId, own.length);
    const draftVersion = this.drafts.at(-1)?.draftVersion ?? null;
    this.raise({ type: 'ConsultationCommentSubmitted', data: { consultationId: this.id, commentId, agencyId, kind: 'no-comment', anchor: null, draftVersion, text: '', at } });
  }

  /** The author rewrites (or moves) its comment; any decision on the old wording no longer holds. */
  editComment(commentId: string, agencyId: string, text: string, anchor: string | null, at: string): void {
    this.guardComment('editComment', agencyId, at);
    const comment = this.ownComment(commentId, agencyId);
    if (comment.kind === 'no-comment') throw nothingToDecide(commentId);
    if (!text?.trim()) throw required('The comment’s text');
    const draftVersion = this.checkPlace(anchor);
    if (comment.text === text.trim() && comment.anchor === anchor && comment.linkStatus === 'linked') return;
    this.raise({ type: 'ConsultationCommentEdited', data: { consultationId: this.id, commentId, text: text.trim(), anchor, draftVersion, at } });
  }

  withdrawComment(commentId: string, agencyId: string, at: string): void {
    this.guardComment('withdrawComment', agencyId, at);
    this.ownComment(commentId, agencyId);
    this.raise({ type: 'ConsultationCommentWithdrawn', data: { consultationId: this.id, commentId, at } });
  }

  /** Tiếp thu, tiếp thu một phần, không tiếp thu — the last two with their reason. */
  decide(commentId: string, decision: CommentDecision, reason: string, at: string): void {
    this.guard('decide');
    const comment = this.comments.get(commentId);
    if (!comment) throw commentNotFound(commentId);
    if (comment.withdrawn) throw commentWithdrawn(commentId);
    if (comment.kind === 'no-comment') throw nothingToDecide(commentId);
    const why = reason?.trim() ?? '';
    if (decision !== 'accepted' && !why) throw reasonRequired(decision);
    if (comment.decision?.decision === decision && comment.decision.reason === why) return;
    this.raise({ type: 'ConsultationCommentDecided', data: { consultationId: this.id, commentId, decision, reason: why, at } });
  }

  draftResponse(response: ConsultationResponseContent, at: string): void {
    this.guard('draftResponse');
    for (const [what, value] of [['The issuer', response.issuer], ['The place', response.place], ['The summary', response.summary], ['The body', response.body],
      ['The signer’s title', response.signer?.title], ['The signer’s name', response.signer?.name]] as const) {
      if (!value?.trim()) throw required(what);
    }
    if (!response.addressees.length) throw required('An addressee (Kính gửi)');
    this.raise({ type: 'ConsultationResponseDrafted', data: { consultationId: this.id, response, at } });
  }

  /** Sends the response upward: every comment has its decision, and the document has its number and date. */
  submitResponse(document: { title: string; number: string; date: string; sha256?: string }, at: string): void {
    this.guard('submitResponse');
    if (!this.response) throw noResponse();
    if (!document.number?.trim()) throw required('The response’s number');
    checkDay('date', document.date);
    const undecided = this.activeComments.filter((c) => c.kind === 'comment' && c.decision === null).map((c) => c.commentId);
    if (undecided.length) throw undecidedComments(undecided);
    this.raise({
      type: 'ConsultationResponseSubmitted',
      data: {
        consultationId: this.id,
        planId: this.planId,
        taskNumber: this.taskNumber,
        leadAgencyId: this.leadAgencyId,
        document: { title: document.title, number: document.number.trim(), date: document.date, ...(document.sha256 ? { sha256: document.sha256 } : {}) },
        submittedAt: at,
      },
    });
  }

  /** The document was issued (its number and date): the consultation is closed. */
  close(issued: DocumentReference & { title?: string }, at: string): void {
    this.guard('close');
    if (!issued.number?.trim()) throw required('The issued document’s number');
    checkDay('date', issued.date);
    this.raise({ type: 'ConsultationClosed', data: { consultationId: this.id, issued: { ...issued, number: issued.number.trim() }, at } });
  }

  /** An amended plan names other parties; an older or repeated version changes nothing. */
  changeParties(planVersion: number, leadAgencyId: string, coordinatorAgencyIds: string[]): void {
    this.guard('changeParties');
    if (this.planVersion !== null && planVersion <= this.planVersion) return;
    const coordinators = [...new Set(coordinatorAgencyIds)].filter((id) => id !== leadAgencyId);
    if (leadAgencyId === this.leadAgencyId && same(coordinators, this.coordinatorAgencyIds)) return;
    this.raise({ type: 'ConsultationPartiesChanged', data: { consultationId: this.id, planVersion, leadAgencyId, coordinatorAgencyIds: coordinators } });
  }

  cancel(reason: string, at: string): void {
    this.guard('cancel');
    if (!reason?.trim()) throw required('A reason');
    this.raise({ type: 'ConsultationCancelled', data: { consultationId: this.id, reason: reason.trim(), at } });
  }

  /**
   * Run daily (it is idempotent): 7 and 1 days before the deadline, a reminder to the agencies that
   * have not answered; on the day, the list of those who never did. Each once per deadline; nothing
   * when everyone answered, nothing once the response is sent.
   */
  checkDeadline(today: string): void {
    if (this.status === 'new') throw consultationNotFound(this.id);
    checkDay('today', today);
    const deadline = this.deadline;
    if (this.status !== 'open' || deadline === null) return;
    const pending = this.answers().filter((a) => a.answer === 'none').map((a) => a.agencyId);
    const daysLeft = daysBetween(today, deadline);
    if (daysLeft <= 0) {
      if (!this.notices.has('passed')) {
        this.raise({ type: 'ConsultationDeadlinePassed', data: { consultationId: this.id, deadline, unansweredAgencyIds: pending } });
      }
      return;
    }
    if (!pending.length) return;
    // First seen a day before: one reminder, not two at once.
    if (daysLeft <= 7 && daysLeft > 1 && !this.notices.has('remind-7')) {
      this.raise({ type: 'ConsultationReminderSent', data: { consultationId: this.id, deadline, daysLeft: 7, agencyIds: pending } });
    }
    if (daysLeft <= 1 && !this.notices.has('remind-1')) {
      this.raise({ type: 'ConsultationReminderSent', data: { consultationId: this.id, deadline, daysLeft: 1, agencyIds: pending } });
    }
  }

  protected apply(event: ConsultationEvent): void {
    switch (event.type) {
      case 'ConsultationOpened': {
        const d = event.data;
        this.status = 'open';
        this.planId = d.planId;
        this.planVersion = d.planVersion;
        this.taskNumber = d.taskNumber;
        this.draft = d.draft;
        this.draftingMinistry = d.draftingMinistry;
        this.legalRefs = d.legalRefs;
        this.leadAgencyId = d.leadAgencyId;
        this.coordinatorAgencyIds = d.coordinatorAgencyIds;
        this.deadline = d.deadline;
        this.deadlineText = d.deadlineText;
        break;
      }
      case 'ConsultationDeadlineSet':
        if (event.data.deadline !== this.deadline) this.notices.clear();
        this.deadline = event.data.deadline;
        break;
      case 'ConsultationMinistryRecorded':
        this.draftingMinistry = event.data.draftingMinistry;
        break;
      case 'ConsultationDraftUploaded': {
        const { draftVersion, file, title, text, at, relinked } = event.data;
        this.drafts = [...this.drafts, { draftVersion, file, title, text, at }];
        for (const r of relinked) {
          const comment = this.comments.get(r.commentId);
          if (comment) this.comments.set(r.commentId, { ...comment, anchor: r.anchor, linkStatus: r.status });
        }
        break;
      }
      case 'ConsultationCommentSubmitted': {
        const d = event.data;
        this.comments.set(d.commentId, {
          commentId: d.commentId, agencyId: d.agencyId, kind: d.kind, anchor: d.anchor, draftVersion: d.draftVersion, text: d.text,
          withdrawn: false, linkStatus: 'linked', decision: null, at: d.at,
        });
        break;
      }
      case 'ConsultationCommentEdited': {
        const comment = this.comments.get(event.data.commentId);
        if (comment) {
          const { text, anchor, draftVersion, at } = event.data;
          this.comments.set(comment.commentId, { ...comment, text, anchor, draftVersion, at, linkStatus: 'linked', decision: null });
        }
        break;
      }
      case 'ConsultationCommentWithdrawn': {
        const comment = this.comments.get(event.data.commentId);
        if (comment) this.comments.set(comment.commentId, { ...comment, withdrawn: true });
        break;
      }
      case 'ConsultationCommentDecided': {
        const comment = this.comments.get(event.data.commentId);
        if (comment) this.comments.set(comment.commentId, { ...comment, decision: { decision: event.data.decision, reason: event.data.reason } });
        break;
      }
      case 'ConsultationResponseDrafted':
        this.response = event.data.response;
        break;
      case 'ConsultationResponseSubmitted':
        this.status = 'responded';
        this.submitted = { ...event.data.document, submittedAt: event.data.submittedAt };
        break;
      case 'ConsultationReminderSent':
        if (event.data.deadline === this.deadline) this.notices.add(event.data.daysLeft === 7 ? 'remind-7' : 'remind-1');
        break;
      case 'ConsultationDeadlinePassed':
        if (event.data.deadline === this.deadline) this.notices.add('passed');
        break;
      case 'ConsultationPartiesChanged':
        this.planVersion = event.data.planVersion;
        this.leadAgencyId = event.data.leadAgencyId;
        this.coordinatorAgencyIds = event.data.coordinatorAgencyIds;
        break;
      case 'ConsultationClosed':
        this.status = 'closed';
        this.issued = event.data.issued;
        break;
      case 'ConsultationCancelled':
        this.status = 'cancelled';
        break;
    }
  }

  private guard(action: ConsultationAction): void {
    if (this.status === 'new') throw consultationNotFound(this.id);
    if (!this.allowedActions.includes(action)) throw notAllowedNow(action, this.status, this.allowedActions);
  }

  /** Comments come from the coordinating agencies, before the deadline begins (Vietnam time). */
  private guardComment(action: ConsultationAction, agencyId: string, at: string): void {
    this.guard(action);
    if (!this.coordinatorAgencyIds.includes(agencyId)) throw notACoordinator(agencyId, this.id);
    const today = vietnamDay(new Date(at));
    if (BEFORE_DEADLINE.has(action) && this.deadline !== null && today >= this.deadline) throw deadlinePassed(this.deadline, today);
  }

  private ownActive(agencyId: string): ConsultationComment[] {
    return this.activeComments.filter((c) => c.agencyId === agencyId);
  }

  private ownComment(commentId: string, agencyId: string): ConsultationComment {
    const comment = this.comments.get(commentId);
    if (!comment) throw commentNotFound(commentId);
    if (comment.agencyId !== agencyId) throw notYourComment(commentId, agencyId);
    if (comment.withdrawn) throw commentWithdrawn(commentId);
    return comment;
  }

  /** An anchor must name a place of the latest draft; returns that draft's version (null: general, no draft). */
  private checkPlace(anchor: string | null): number | null {
    const draft = this.currentDraft;
    if (anchor === null) return draft?.version ?? null;
    if (!parseAnchor(anchor)) throw invalidAnchor(anchor);
    if (!draft || !locate(draft.document, anchor)) throw noSuchPlace(anchor, draft?.version ?? null);
    return draft.version;
  }
}

export interface ConsultationActor {
  agencyId: string;
  roles: readonly string[];
}

export type ConsultationParties = Pick<Consultation, 'id' | 'leadAgencyId' | 'coordinatorAgencyIds'>;

const COMMENT_ACTIONS: ReadonlySet<ConsultationAction> = new Set(['comment', 'editComment', 'withdrawComment']);
const LEAD_ACTIONS: ReadonlySet<ConsultationAction> = new Set([
  'setDeadline', 'recordMinistry', 'uploadDraft', 'decide', 'draftResponse', 'submitResponse', 'close',
]);

/**
 * Coordinating agencies (member or coordinator role) comment; whether they are coordinating agencies
 * the aggregate checks, so the refusal names the reason. The lead agency, as coordinator, runs the
 * consultation; operators do too, and alone change its parties or cancel it. Auditors read.
 */
export function mayPerform(consultation: ConsultationParties, actor: ConsultationActor, action: ConsultationAction): boolean {
  const has = (role: string) => actor.roles.includes(role);
  if (COMMENT_ACTIONS.has(action)) return has('member') || has('coordinator');
  if (has('operator')) return true;
  return LEAD_ACTIONS.has(action) && has('coordinator') && actor.agencyId === consultation.leadAgencyId;
}

/** Throws `CONSULTATION.FORBIDDEN` (403) unless the actor may perform the action. */
export function authorize(consultation: ConsultationParties, actor: ConsultationActor, action: ConsultationAction): void {
  if (!mayPerform(consultation, actor, action)) throw forbidden(action, actor.agencyId, consultation.id);
}

/** Parties see a consultation; so do auditors and operators. To anyone else it does not exist. */
export function maySee(consultation: ConsultationParties, actor: ConsultationActor): boolean {
  if (seesEverything(actor)) return true;
  return actor.agencyId === consultation.leadAgencyId || consultation.coordinatorAgencyIds.includes(actor.agencyId);
}

function checkDay(where: string, value: string | null | undefined): void {
  if (value != null && !isRealDay(value)) throw invalidDate(where, value);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
