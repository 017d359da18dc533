import { PlanContent, PlanDiff, PlanTask } from '@thihanh/contracts';
import { EventSourcedAggregate, isRealDay } from '@thihanh/domain';
import {
  amendmentChangesNothing,
  duplicateTaskNumber,
  emptyTitle,
  invalidDate,
  noTasks,
  notADraft,
  notIssued,
  taskWithoutResponsible,
  unknownParentTask,
  unresolvedParties,
} from './plan.errors';
import { PlanEvent } from './plan.events';

export type PlanStatus = 'new' | 'draft' | 'issued' | 'amended' | 'closed';

/**
 * A province's implementation plan: draft → issued → amended (each amendment a new version with its
 * diff) → closed. Drafts may be incomplete (an import names agencies the directory lacks); issuing
 * demands a complete plan, and after that only amendments change it.
 */
export class Plan extends EventSourcedAggregate<PlanEvent> {
  status: PlanStatus = 'new';
  content: PlanContent | null = null;
  /** 0 while a draft; 1 when issued; +1 per amendment. */
  planVersion = 0;

  draft(content: PlanContent, source: { kind: 'manual' | 'import'; fileName?: string; sha256?: string } | null = null): void {
    checkContent(content);
    this.raise({ type: 'PlanDrafted', data: { planId: this.id, content, source } });
  }

  revise(content: PlanContent): void {
    if (this.status !== 'draft') throw notADraft(this.status);
    checkContent(content);
    this.raise({ type: 'PlanDraftRevised', data: { planId: this.id, content } });
  }

  /** `content` is the draft with groups expanded to their members, as the directory has them today. */
  issue(content: PlanContent): void {
    if (this.status !== 'draft') throw notADraft(this.status);
    checkIssuable(content);
    this.raise({ type: 'PlanIssued', data: { planId: this.id, planVersion: 1, content } });
  }

  amend(content: PlanContent, reason: string): void {
    if (this.status !== 'issued' && this.status !== 'amended') throw notIssued(this.status);
    checkIssuable(content);
    const diff = diffPlans(this.content!, content);
    if (!diff.added.length && !diff.removed.length && !diff.changed.length && !diff.fields.length) throw amendmentChangesNothing();
    this.raise({ type: 'PlanAmended', data: { planId: this.id, planVersion: this.planVersion + 1, reason, content, diff } });
  }

  close(reason: string, closedOn: string): void {
    if (this.status !== 'issued' && this.status !== 'amended') throw notIssued(this.status);
    checkDay('closedOn', closedOn);
    this.raise({ type: 'PlanClosed', data: { planId: this.id, reason, closedOn } });
  }

  protected apply(event: PlanEvent): void {
    switch (event.type) {
      case 'PlanDrafted':
      case 'PlanDraftRevised':
        this.status = 'draft';
        this.content = event.data.content;
        break;
      case 'PlanIssued':
        this.status = 'issued';
        this.content = event.data.content;
        this.planVersion = event.data.planVersion;
        break;
      case 'PlanAmended':
        this.status = 'amended';
        this.content = event.data.content;
        this.planVersion = event.data.planVersion;
        break;
      case 'PlanClosed':
        this.status = 'closed';
        break;
    }
  }
}

function checkDay(where: string, value: string | null | undefined): void {
  if (value != null && !isRealDay(value)) throw invalidDate(where, value);
}

function checkMonthDay(where: string, value: string | null | undefined): void {
  if (value != null && !isRealDay(`2024-${value}`)) throw invalidDate(where, value);
}

/** What every version of a plan must satisfy, draft or not. */
function checkContent(content: PlanContent): void {
  if (!content.title.trim()) throw emptyTitle();
  checkDay('issuedOn', content.issuedOn);
  content.reporting.forEach((rule, i) => checkMonthDay(`reporting[${i}].dueMonthDay`, rule.dueMonthDay));
  const numbers = new Set<string>();
  for (const task of content.tasks) {
    if (numbers.has(task.number)) throw duplicateTaskNumber(task.number);
    numbers.add(task.number);
    checkDay(`task ${task.number} timeline`, task.timeline?.dueBefore);
    checkMonthDay(`task ${task.number} timeline`, task.timeline?.dueMonthDay);
  }
  for (const task of content.tasks) {
    if (task.parent !== null && !numbers.has(task.parent)) throw unknownParentTask(task.number, task.parent);
  }
}

/** What an issued version must satisfy besides: tasks, someone responsible for each leaf, known agencies. */
function checkIssuable(content: PlanContent): void {
  checkContent(content);
  if (content.tasks.length === 0) throw noTasks();
  const parents = new Set(content.tasks.map((t) => t.parent).filter((p): p is string => p !== null));
  const orphans = content.tasks.filter((t) => !parents.has(t.number) && t.lead.length + t.implementers.length === 0);
  if (orphans.length) throw taskWithoutResponsible(orphans.map((t) => t.number));
  const unresolved = content.tasks.flatMap((t) =>
    [...t.lead, ...t.implementers, ...t.coordinators].filter((p) => !p.agencyId).map((p) => ({ task: t.number, name: p.name })),
  );
  if (unresolved.length) throw unresolvedParties(unresolved);
}

const TASK_FIELDS: (keyof PlanTask)[] = ['parent', 'title', 'content', 'lead', 'implementers', 'coordinators', 'timeline', 'deliverables', 'legalRefs'];
const PLAN_FIELDS: (keyof PlanContent)[] = [
  'number', 'title', 'issuer', 'place', 'issuedOn', 'legalBasis', 'purpose', 'requirements', 'funding',
  'reporting', 'recipients', 'signer', 'coordinatorAgencyId',
];

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Tasks added, removed and changed (by number, with the fields that changed), and plan-level fields. */
export function diffPlans(before: PlanContent, after: PlanContent): PlanDiff {
  const old = new Map(before.tasks.map((t) => [t.number, t]));
  const now = new Map(after.tasks.map((t) => [t.number, t]));
  return {
    added: after.tasks.filter((t) => !old.has(t.number)).map((t) => t.number),
    removed: before.tasks.filter((t) => !now.has(t.number)).map((t) => t.number),
    changed: after.tasks
      .filter((t) => old.has(t.number))
      .map((t) => ({ number: t.number, fields: TASK_FIELDS.filter((f) => !same(old.get(t.number)![f], t[f])) }))
      .filter((c) => c.fields.length > 0),
    fields: PLAN_FIELDS.filter((f) => !same(before[f], after[f])),
  };
}
