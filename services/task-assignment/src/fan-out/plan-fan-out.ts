import { AssignmentOpenedV1, AssignmentRole, Party, PlanContent, PlanTask, Timeline } from '@thihanh/contracts';
import { derivedId } from '@thihanh/domain';

export type CaseRole = AssignmentRole;

/** One case to open: a leaf task × an agency × a cycle, with the agency's strongest role in the task. */
export type CaseSpec = Omit<AssignmentOpenedV1, 'status'>;

/**
 * The same case always gets the same id, derived from what identifies it, so a redelivered or
 * replayed PlanIssued opens nothing twice (the stream already exists).
 */
export function assignmentIdOf(planId: string, taskNumber: string, agencyId: string, cycle: string): string {
  return derivedId(planId, taskNumber, agencyId, cycle);
}

const ROLES: [CaseRole, (t: PlanTask) => Party[]][] = [
  ['lead', (t) => t.lead],
  ['implementer', (t) => t.implementers],
  ['coordinator', (t) => t.coordinators],
];

/**
 * Agencies of a task with their strongest role: groups expand to the members they carried when the
 * plan was issued; an agency named twice (a lead that is also in its coordinating group) keeps the
 * first role in lead → implementer → coordinator order.
 */
export function taskAgencies(task: PlanTask): Map<string, CaseRole> {
  const agencies = new Map<string, CaseRole>();
  for (const [role, parties] of ROLES) {
    for (const party of parties(task)) {
      const ids = party.group ? (party.members ?? []) : party.agencyId ? [party.agencyId] : [];
      for (const id of ids) if (!agencies.has(id)) agencies.set(id, role);
    }
  }
  return agencies;
}

/** Leaf tasks: a task with sub-tasks is worked through them. */
export function leafTasks(content: PlanContent): PlanTask[] {
  const parents = new Set(content.tasks.map((t) => t.parent).filter((p): p is string => p !== null));
  return content.tasks.filter((t) => !parents.has(t.number));
}

/**
 * Cycles of a task up to `today`'s year: a recurring (or gated recurring) task has one per year from
 * its first year; anything else one ("once"). Later years open by themselves when the year turns.
 */
export function cyclesOf(timeline: Timeline | null, today: string): string[] {
  const year = Number(today.slice(0, 4));
  if (timeline && (timeline.kind === 'recurring' || timeline.kind === 'gated') && timeline.fromYear) {
    const years: string[] = [];
    for (let y = timeline.fromYear; y <= year; y += 1) years.push(String(y));
    return years.length ? years : [String(timeline.fromYear)];
  }
  return ['once'];
}

/**
 * A cycle's due date. Fixed: the plan's day. Yearly: the task's own day of the year if it has one,
 * else the plan's yearly reporting day — a cut-off late in the year (15/11) falls in the cycle's
 * year, an early one (15/01) in the next — else the first day of the next year. Dependent, ongoing,
 * unspecified: none until an event sets one.
 */
export function dueBeforeOf(timeline: Timeline | null, cycle: string, content: PlanContent): string | null {
  if (!timeline) return null;
  if (timeline.kind === 'fixed') return timeline.dueBefore;
  if (cycle === 'once') return timeline.dueBefore;
  const year = Number(cycle);
  const monthDay = timeline.dueMonthDay ?? content.reporting.find((r) => r.frequency === 'yearly' && r.dueMonthDay)?.dueMonthDay ?? null;
  if (!monthDay) return `${year + 1}-01-01`;
  return Number(monthDay.slice(0, 2)) >= 7 ? `${year}-${monthDay}` : `${year + 1}-${monthDay}`;
}

/** Every case an issued plan (or an amended version) calls for, as of `today` (YYYY-MM-DD, Vietnam time). */
export function planCases(planId: string, planVersion: number, content: PlanContent, today: string): CaseSpec[] {
  const cases: CaseSpec[] = [];
  for (const task of leafTasks(content)) {
    const agencies = taskAgencies(task);
    const leads = [...agencies].filter(([, role]) => role === 'lead').map(([id]) => id);
    const leadAgencyIds = leads.length ? leads : [...agencies].filter(([, role]) => role === 'implementer').map(([id]) => id);
    for (const cycle of cyclesOf(task.timeline, today)) {
      for (const [agencyId, role] of agencies) {
        cases.push({
          assignmentId: assignmentIdOf(planId, task.number, agencyId, cycle),
          planId,
          planVersion,
          taskNumber: task.number,
          taskTitle: task.title,
          agencyId,
          role,
          cycle,
          timeline: task.timeline,
          dueBefore: dueBeforeOf(task.timeline, cycle, content),
          leadAgencyIds,
          planCoordinatorAgencyId: content.coordinatorAgencyId,
          deliverablesExpected: task.deliverables,
        });
      }
    }
  }
  return cases;
}
