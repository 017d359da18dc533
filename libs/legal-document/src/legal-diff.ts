import { nameKey } from '@thihanh/plan-document';
import { anchorOf, parseAnchor } from './legal-anchor';
import type { Article, Clause, LegalDocument, Point } from './legal-document';

export type ChangeStatus = 'unchanged' | 'changed' | 'added' | 'removed';

export interface PointChange {
  status: Exclude<ChangeStatus, 'unchanged'>;
  before: string | null;
  after: string | null;
}

export interface ClauseChange {
  status: Exclude<ChangeStatus, 'unchanged'>;
  before: number | null;
  after: number | null;
  /** For a changed clause, its points that changed; empty for an added or removed clause. */
  points: PointChange[];
}

export interface ArticleChange {
  status: ChangeStatus;
  /** Its number in each version: different numbers mean it was renumbered. */
  before: number | null;
  after: number | null;
  /** Its title in the later version (in the earlier one when removed). */
  title: string;
  /** For a changed article, its clauses that changed (a clause only renumbered is not listed). */
  clauses: ClauseChange[];
}

export type LinkStatus = 'linked' | 'flagged' | 'orphaned';

export interface RelinkedComment {
  id: string;
  /** Its place in the later version; the old anchor when orphaned. */
  anchor: string;
  status: LinkStatus;
}

interface Pair<T> {
  before?: T;
  after?: T;
}

/** Words of a text compared the way plan-document compares names: NFC, lower case, tone placement ignored. */
const words = (text: string): Set<string> => new Set(nameKey(text).split(' ').filter(Boolean));

/** Dice coefficient of the word sets: 1 for the same words, 0 for none shared. */
function similarity(a: string, b: string): number {
  const x = words(a);
  const y = words(b);
  if (!x.size || !y.size) return 0;
  let shared = 0;
  for (const word of x) if (y.has(word)) shared += 1;
  return (2 * shared) / (x.size + y.size);
}

const SIMILAR = 0.5;

/**
 * Pairs the parts of two versions, in three passes: identical content (same number preferred), then the
 * same number with similar wording, then the most similar wording at any number. Wording is similar when
 * at least half the words are shared (Dice ≥ 0.5). Whatever stays alone was removed or added. The result
 * follows the later version, each removed part placed where it stood.
 */
function pair<T>(before: T[], after: T[], numberOf: (t: T) => number | string, contentOf: (t: T) => string, wordingOf: (t: T) => string): Pair<T>[] {
  const partner = new Map<T, T>();
  const taken = new Set<T>();
  const link = (b: T, a: T) => {
    partner.set(a, b);
    taken.add(b);
  };
  const free = (b: T) => !taken.has(b);
  for (const a of after) {
    const same = before.filter((b) => free(b) && contentOf(b) === contentOf(a));
    const b = same.find((s) => numberOf(s) === numberOf(a)) ?? same[0];
    if (b) link(b, a);
  }
  for (const a of after.filter((x) => !partner.has(x))) {
    const b = before.find((s) => free(s) && numberOf(s) === numberOf(a) && similarity(wordingOf(s), wordingOf(a)) >= SIMILAR);
    if (b) link(b, a);
  }
  const candidates = after
    .filter((a) => !partner.has(a))
    .flatMap((a) => before.filter(free).map((b) => ({ a, b, score: similarity(wordingOf(b), wordingOf(a)) })))
    .filter((c) => c.score >= SIMILAR)
    .sort((x, y) => y.score - x.score);
  for (const { a, b } of candidates) if (!partner.has(a) && free(b)) link(b, a);

  const removed = before.filter(free);
  const pairs: Pair<T>[] = [];
  for (const a of after) {
    const b = partner.get(a);
    if (b !== undefined) {
      while (removed.length && before.indexOf(removed[0]) < before.indexOf(b)) pairs.push({ before: removed.shift() });
    }
    pairs.push({ before: b, after: a });
  }
  return [...pairs, ...removed.map((b) => ({ before: b }))];
}

const pointContent = (p: Point) => p.text;
const clauseContent = (c: Clause) => [c.text, ...c.points.map((p) => `${p.letter}) ${p.text}`)].join('\n');
const articleContent = (a: Article) => `${a.title}\n${a.text}`;

const pairArticles = (before: LegalDocument, after: LegalDocument) =>
  pair(before.articles, after.articles, (a) => a.number, articleContent, (a) => a.title || a.text);
const pairClauses = (before: Article, after: Article) => pair(before.clauses, after.clauses, (c) => c.number, clauseContent, clauseContent);
const pairPoints = (before: Clause, after: Clause) => pair(before.points, after.points, (p) => p.letter, pointContent, pointContent);

function statusOf<T>({ before, after }: Pair<T>, contentOf: (t: T) => string): ChangeStatus {
  if (!before) return 'added';
  if (!after) return 'removed';
  return contentOf(before) === contentOf(after) ? 'unchanged' : 'changed';
}

/** What changed between two versions of a draft, article by article (matched as `pair` describes). */
export function diffLegalDocuments(before: LegalDocument, after: LegalDocument): ArticleChange[] {
  return pairArticles(before, after).map((articles) => {
    const status = statusOf(articles, articleContent);
    const clauses: ClauseChange[] = [];
    if (status === 'changed' && articles.before && articles.after) {
      for (const c of pairClauses(articles.before, articles.after)) {
        const clauseStatus = statusOf(c, clauseContent);
        if (clauseStatus === 'unchanged') continue;
        const points: PointChange[] = [];
        if (c.before && c.after) {
          for (const p of pairPoints(c.before, c.after)) {
            const pointStatus = statusOf(p, pointContent);
            if (pointStatus !== 'unchanged') points.push({ status: pointStatus, before: p.before?.letter ?? null, after: p.after?.letter ?? null });
          }
        }
        clauses.push({ status: clauseStatus, before: c.before?.number ?? null, after: c.after?.number ?? null, points });
      }
    }
    return {
      status,
      before: articles.before?.number ?? null,
      after: articles.after?.number ?? null,
      title: (articles.after ?? articles.before)?.title ?? '',
      clauses,
    };
  });
}

/**
 * Moves comments to their place in the later version. A comment is `linked` when the text it cites is
 * unchanged (an article or clause with everything in it; a point with its clause's lead-in, which the
 * point completes), `flagged` when that text changed, `orphaned` when its place was removed or never
 * existed. A renumbered place keeps its comments, under the new anchor.
 */
export function relinkComments(comments: ReadonlyArray<{ id: string; anchor: string }>, before: LegalDocument, after: LegalDocument): RelinkedComment[] {
  const articles = pairArticles(before, after);
  return comments.map(({ id, anchor }) => {
    const orphaned: RelinkedComment = { id, anchor, status: 'orphaned' };
    const place = parseAnchor(anchor);
    const article = place && articles.find((p) => p.before?.number === place.article);
    if (!place || !article?.before || !article.after) return orphaned;
    const number = article.after.number;
    const relinked = (status: LinkStatus, clause?: number, point?: string): RelinkedComment => ({
      id,
      anchor: anchorOf({ article: number, clause, point }),
      status,
    });
    if (place.clause === undefined) return relinked(statusOf(article, articleContent) === 'unchanged' ? 'linked' : 'flagged');

    const clause = pairClauses(article.before, article.after).find((p) => p.before?.number === place.clause);
    if (!clause?.before || !clause.after) return orphaned;
    if (place.point === undefined) return relinked(statusOf(clause, clauseContent) === 'unchanged' ? 'linked' : 'flagged', clause.after.number);

    const point = pairPoints(clause.before, clause.after).find((p) => p.before?.letter === place.point);
    if (!point?.before || !point.after) return orphaned;
    const same = point.before.text === point.after.text && clause.before.text === clause.after.text;
    return relinked(same ? 'linked' : 'flagged', clause.after.number, point.after.letter);
  });
}
