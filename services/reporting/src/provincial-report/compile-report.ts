import { agencyDisplayName } from '@thihanh/agency-directory';
import { CaseFigures, ReportNarrative, RoundKind } from '@thihanh/contracts';
import { caseFigures, CaseFacts, groupCases, percentOf } from '../read-models/case-figures';

export interface RoundFacts {
  roundId: string;
  title: string;
  kind: RoundKind;
  period: { from: string; to: string };
  dueBefore: string;
  coordinatorAgencyId: string;
  agencyIds: string[];
  taskNumbers: string[];
}

export interface PlanFacts {
  planId: string;
  province: string;
  number: string | null;
  title: string;
  place: string | null;
  tasks: { number: string; parent: string | null; title: string }[];
}

export interface ReportCase extends CaseFacts {
  assignmentId: string;
  taskNumber: string;
  taskTitle: string;
  agencyId: string;
  role: string;
  cycle: string;
  percent: number;
  deliverables: string[];
}

export interface AgencyReportFacts {
  agencyId: string;
  status: string;
  late: boolean;
  submittedAt: string | null;
  narrative: ReportNarrative | null;
}

export interface ConsultationFacts {
  taskNumber: string | null;
  draftType: string;
  draftTitle: string;
  leadAgencyId: string;
  coordinators: number;
  answered: number;
  comments: number;
  status: string;
  deadline: string | null;
  responseNumber: string | null;
  responseDate: string | null;
}

export interface CompiledReport {
  roundId: string;
  title: string;
  plan: { planId: string; province: string; number: string | null; title: string };
  period: { from: string; to: string };
  asOf: string;
  figures: CaseFigures & { percentDoneOnTime: number; percentDone: number };
  byTask: { taskNumber: string; title: string; figures: CaseFigures }[];
  byAgency: { agencyId: string; name: string; figures: CaseFigures; report: { status: string; late: boolean } }[];
  consultations: (ConsultationFacts & { leadName: string })[];
  reporting: { asked: number; submitted: number; accepted: number; returned: number; late: string[]; missing: string[] };
  narrative: Record<keyof ReportNarrative, { agencyId: string; name: string; text: string }[]>;
  /** Month by month to `asOf`: of the cases due by the month's end, the share done on time and the share overdue. */
  trend: { month: string; due: number; percentDoneOnTime: number; percentOverdue: number }[];
}

/**
 * Cases a round is about: the plan's tasks in its scope; a yearly cycle when its year falls in the
 * period; a one-off task unless it was already done (accepted) before the period began.
 */
export function inRound(round: Pick<RoundFacts, 'period' | 'taskNumbers'>, c: Pick<ReportCase, 'taskNumber' | 'cycle'> & { acceptedOn?: string | null }): boolean {
  if (round.taskNumbers.length && !round.taskNumbers.some((t) => c.taskNumber === t || c.taskNumber.startsWith(`${t}.`))) return false;
  if (c.cycle === 'once') return !c.acceptedOn || c.acceptedOn >= round.period.from;
  return c.cycle >= round.period.from.slice(0, 4) && c.cycle <= round.period.to.slice(0, 4);
}

const byTaskNumber = (a: string, b: string) => a.localeCompare(b, 'vi', { numeric: true });

function monthEnds(from: string, to: string): string[] {
  const ends: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  for (;;) {
    const end = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
    ends.push(end < to ? end : to);
    if (end >= to) return ends;
    m += 1;
    if (m > 12) [y, m] = [y + 1, 1];
  }
}

/**
 * The province's report for a round, from the read models (every case in scope, as of `asOf`) and the
 * agencies' reports: the four categories overall, by task and by agency, the consultations, who
 * reported (late, missing), and the narratives of the accepted reports.
 */
export function compileReport(input: { round: RoundFacts; plan: PlanFacts; cases: ReportCase[]; reports: AgencyReportFacts[]; consultations: ConsultationFacts[]; asOf: string }): CompiledReport {
  const { round, plan, asOf } = input;
  const cases = input.cases.filter((c) => inRound(round, c));
  const figures = caseFigures(cases, asOf);
  const group = <K extends string>(key: (c: ReportCase) => K) => groupCases(cases, key);
  const titles = new Map(plan.tasks.map((t) => [t.number, t.title]));
  const byTask = [...group((c) => c.taskNumber)]
    .sort(([a], [b]) => byTaskNumber(a, b))
    .map(([taskNumber, list]) => ({ taskNumber, title: titles.get(taskNumber) ?? list[0].taskTitle, figures: caseFigures(list, asOf) }));
  const reports = new Map(input.reports.map((r) => [r.agencyId, r]));
  const agencyCases = group((c) => c.agencyId);
  const byAgency = round.agencyIds
    .map((agencyId) => ({
      agencyId,
      name: agencyDisplayName(agencyId),
      figures: caseFigures(agencyCases.get(agencyId) ?? [], asOf),
      report: { status: reports.get(agencyId)?.status ?? 'missing', late: reports.get(agencyId)?.late ?? false },
    }))
    .sort((a, b) => a.name.localeCompare(b.name, 'vi'));
  const asked = round.agencyIds;
  const submittedOnce = asked.filter((id) => ['submitted', 'accepted', 'returned'].includes(reports.get(id)?.status ?? ''));
  const accepted = asked.filter((id) => reports.get(id)?.status === 'accepted');
  const narrative = { results: [], difficulties: [], proposals: [] } as CompiledReport['narrative'];
  for (const agencyId of accepted) {
    const n = reports.get(agencyId)!.narrative;
    for (const part of ['results', 'difficulties', 'proposals'] as const) {
      if (n?.[part]) narrative[part].push({ agencyId, name: agencyDisplayName(agencyId), text: n[part] });
    }
  }
  for (const part of ['results', 'difficulties', 'proposals'] as const) narrative[part].sort((a, b) => a.name.localeCompare(b.name, 'vi'));
  const trend = monthEnds(round.period.from, asOf < round.period.to ? asOf : round.period.to).map((end) => {
    const due = cases.filter((c) => c.dueBefore !== null && c.dueBefore <= end);
    const f = caseFigures(due, end);
    return { month: end.slice(0, 7), due: f.total, percentDoneOnTime: percentOf(f.doneOnTime, f), percentOverdue: percentOf(f.openOverdue, f) };
  });
  return {
    roundId: round.roundId,
    title: round.title,
    plan: { planId: plan.planId, province: plan.province, number: plan.number, title: plan.title },
    period: round.period,
    asOf,
    figures: { ...figures, percentDoneOnTime: percentOf(figures.doneOnTime, figures), percentDone: percentOf(figures.doneOnTime + figures.doneLate, figures) },
    byTask,
    byAgency,
    consultations: input.consultations
      .filter((c) => !round.taskNumbers.length || (c.taskNumber !== null && inRound(round, { taskNumber: c.taskNumber, cycle: 'once' })))
      .sort((a, b) => byTaskNumber(a.taskNumber ?? '~', b.taskNumber ?? '~'))
      .map((c) => ({ ...c, leadName: agencyDisplayName(c.leadAgencyId) })),
    reporting: {
      asked: asked.length,
      submitted: submittedOnce.length,
      accepted: accepted.length,
      returned: asked.filter((id) => reports.get(id)?.status === 'returned').length,
      late: asked.filter((id) => reports.get(id)?.late),
      missing: asked.filter((id) => !submittedOnce.includes(id)),
    },
    narrative,
    trend,
  };
}
