import { CaseFigures, ReportedTask } from '@thihanh/contracts';
import { caseFigures } from '../read-models/case-figures';
import { inRound, ReportCase, RoundFacts } from '../provincial-report/compile-report';

/** What an agency's report is pre-filled with: its cases in the round's scope, by task, and their four categories. */
export function reportContent(round: Pick<RoundFacts, 'period' | 'taskNumbers'>, cases: ReportCase[], asOf: string): { figures: CaseFigures; tasks: ReportedTask[] } {
  const own = cases.filter((c) => inRound(round, c) && c.status !== 'cancelled');
  const tasks = new Map<string, ReportedTask>();
  for (const c of own) {
    const task = tasks.get(c.taskNumber) ?? { taskNumber: c.taskNumber, taskTitle: c.taskTitle, role: c.role, cases: [] };
    task.cases.push({
      assignmentId: c.assignmentId, cycle: c.cycle, status: c.acceptedOn && c.acceptedOn > asOf ? 'submitted' : c.status, percent: c.percent,
      dueBefore: c.dueBefore, doneOn: c.acceptedOn && c.acceptedOn <= asOf ? c.doneOn : null, deliverables: c.deliverables,
    });
    tasks.set(c.taskNumber, task);
  }
  return { figures: caseFigures(own, asOf), tasks: [...tasks.values()].sort((a, b) => a.taskNumber.localeCompare(b.taskNumber, 'vi', { numeric: true })) };
}
