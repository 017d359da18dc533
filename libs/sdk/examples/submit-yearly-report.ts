import { ReportingNarrativeDto, ThihanhClient } from '../src';

/** Submits the agency's yearly report: its figures come pre-filled from its cases; it adds the narrative. */
export async function submitYearlyReport(thihanh: ThihanhClient, planId: string, narrative: ReportingNarrativeDto) {
  const { items } = await thihanh.reporting.rounds.list<{ items: { roundId: string; kind: string }[] }>({ query: { planId } });
  const round = items.find((r) => r.kind === 'yearly');
  if (!round) throw new Error(`No yearly round of plan ${planId} yet`);
  const draft = await thihanh.reporting.rounds.mine<{ figures: { total: number } }>({ id: round.roundId });
  const submitted = await thihanh.reporting.rounds.submit<{ status: string; late: boolean }>({ id: round.roundId, body: narrative });
  return { roundId: round.roundId, figures: draft.figures, ...submitted };
}
