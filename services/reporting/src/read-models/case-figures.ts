import { CaseFigures } from '@thihanh/contracts';

/** What the four categories need of a case (a row of `rp_cases`). */
export interface CaseFacts {
  status: string;
  /** YYYY-MM-DD; the work is due before this day begins. */
  dueBefore: string | null;
  /** The day the accepted work was handed in. */
  doneOn: string | null;
  /** The day it was accepted: until then it is not done. */
  acceptedOn: string | null;
  cancelledOn: string | null;
}

export const NO_FIGURES: CaseFigures = Object.freeze({ total: 0, doneOnTime: 0, doneLate: 0, openOnTime: 0, openOverdue: 0, waiting: 0 });

/**
 * The national task-tracking system's four categories as of a day: done on time (handed in before
 * its due day began), done late, open within its time, open past it. Cancelled cases do not count;
 * a case with no due date is never late; waiting cases are open within their time, and also counted
 * apart. Acceptance after `asOf` has not happened yet as of `asOf`.
 */
export function categoryOf(c: CaseFacts, asOf: string): keyof Omit<CaseFigures, 'total' | 'waiting'> | null {
  if (c.status === 'cancelled' && (c.cancelledOn === null || c.cancelledOn <= asOf)) return null;
  if (c.acceptedOn !== null && c.acceptedOn <= asOf) {
    return c.dueBefore === null || (c.doneOn ?? c.acceptedOn) < c.dueBefore ? 'doneOnTime' : 'doneLate';
  }
  return c.dueBefore !== null && c.dueBefore <= asOf ? 'openOverdue' : 'openOnTime';
}

export function caseFigures(cases: Iterable<CaseFacts>, asOf: string): CaseFigures {
  const figures = { ...NO_FIGURES };
  for (const c of cases) {
    const category = categoryOf(c, asOf);
    if (category === null) continue;
    figures.total += 1;
    figures[category] += 1;
    if (category === 'openOnTime' && c.status === 'waiting') figures.waiting += 1;
  }
  return figures;
}

/** Share of the cases that count, as a whole percentage (0 when there are none). */
export const percentOf = (part: number, figures: CaseFigures): number => (figures.total ? Math.round((100 * part) / figures.total) : 0);

/** Cases grouped by `key`, groups in order of first appearance. */
export function groupCases<C extends CaseFacts, K extends string>(cases: Iterable<C>, key: (c: C) => K): Map<K, C[]> {
  const groups = new Map<K, C[]>();
  for (const c of cases) {
    const k = key(c);
    const group = groups.get(k);
    if (group) group.push(c);
    else groups.set(k, [c]);
  }
  return groups;
}
