import { ThihanhClient } from '../src';

/** An agency's open work: its cases still to acknowledge, soonest due first. */
export async function listMyCases(thihanh: ThihanhClient, planId?: string) {
  const { items } = await thihanh.taskAssignment.caseBoard.list<{ items: { assignmentId: string; taskNumber: string; status: string; dueBefore: string | null }[] }>({
    query: { planId, limit: 500 },
  });
  return items;
}
