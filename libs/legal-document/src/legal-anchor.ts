import type { Article, Clause, LegalDocument, Point } from './legal-document';

/** The points of a clause are lettered in the Vietnamese alphabet: no f, j, w, z; "đ" follows "d". */
export const POINT_LETTERS = ['a', 'b', 'c', 'd', 'đ', 'e', 'g', 'h', 'i', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'x', 'y'] as const;

/** A place in a legal document: an article, a clause of it, or a point of that clause. */
export interface LegalPlace {
  article: number;
  clause?: number;
  /** As written: "a", "đ". */
  point?: string;
}

/**
 * "dieu-5", "dieu-5.khoan-1", "dieu-5.khoan-1.diem-a". Anchors are ASCII so they survive URLs, HTML ids
 * and database keys unchanged; "đ" is written "dd" (as in Telex), since "d" is already a point.
 */
export function anchorOf({ article, clause, point }: LegalPlace): string {
  let anchor = `dieu-${article}`;
  if (clause !== undefined) anchor += `.khoan-${clause}`;
  if (clause !== undefined && point !== undefined) anchor += `.diem-${point === 'đ' ? 'dd' : point}`;
  return anchor;
}

/** The place an anchor names, or null when it is not an anchor ("diem-đ" is read like "diem-dd"). */
export function parseAnchor(anchor: string): LegalPlace | null {
  const m = /^dieu-(\d+)(?:\.khoan-(\d+)(?:\.diem-(dd|đ|[a-z]))?)?$/.exec(anchor.normalize('NFC').trim());
  if (!m) return null;
  const point = m[3] === 'dd' ? 'đ' : m[3];
  if (point !== undefined && !(POINT_LETTERS as readonly string[]).includes(point)) return null;
  const place: LegalPlace = { article: Number(m[1]) };
  if (m[2] !== undefined) place.clause = Number(m[2]);
  if (point !== undefined) place.point = point;
  return place;
}

/** How a Vietnamese legal text cites the place: "điểm a khoản 1 Điều 5", "khoản 2 Điều 3", "Điều 7". */
export function describeAnchor(anchor: string | LegalPlace): string {
  const place = typeof anchor === 'string' ? parseAnchor(anchor) : anchor;
  if (!place) return anchor as string;
  const parts = [`Điều ${place.article}`];
  if (place.clause !== undefined) {
    parts.unshift(`khoản ${place.clause}`);
    if (place.point !== undefined) parts.unshift(`điểm ${place.point}`);
  }
  return parts.join(' ');
}

export interface LocatedPlace {
  article: Article;
  clause?: Clause;
  point?: Point;
}

/** The article, clause and point an anchor names in a document, or null when it has no such place. */
export function locate(document: LegalDocument, anchor: string | LegalPlace): LocatedPlace | null {
  const place = typeof anchor === 'string' ? parseAnchor(anchor) : anchor;
  if (!place) return null;
  const article = document.articles.find((a) => a.number === place.article);
  if (!article) return null;
  if (place.clause === undefined) return { article };
  const clause = article.clauses.find((c) => c.number === place.clause);
  if (!clause) return null;
  if (place.point === undefined) return { article, clause };
  const point = clause.points.find((p) => p.letter === place.point);
  return point ? { article, clause, point } : null;
}
