import { fold } from './vietnamese-text';

const POINT_LETTERS = new Set('a b c d đ e g h i k l m n o p q r s t u v x y'.split(' '));

/**
 * The provisions a text cites, one string per point, clause or article, in the order written:
 * "điểm a khoản 1 Điều 5", "khoản 4 Điều 25", "Điều 29". Points and clauses written before the
 * article they belong to wait for it: "điểm a khoản 1, điểm c khoản 2 và khoản 3 Điều 28" gives three
 * references to Article 28. A list of points directly before a clause belongs to that clause, so
 * "điểm a, b, c, d, đ, g và khoản 1 Điều 5" is points a–g of clause 1 (the sibling plan item cites
 * "điểm e, h, i, k và m khoản 1 Điều 5", the rest of that clause), not clause 1 as a whole.
 */
export function parseLegalRefs(input: string): string[] {
  const text = input.normalize('NFC');
  const refs: string[] = [];
  let points: string[] = [];
  let clauses: { clause: string; points: string[] }[] = [];
  let mode: 'diem' | 'khoan' | 'dieu' | null = null;

  const f = fold(text);
  for (const m of f.matchAll(/[a-z]+|\d+[a-z]?|[,;]|\S/g)) {
    const token = m[0];
    const written = text.slice(m.index, (m.index ?? 0) + token.length);
    if (token === 'diem' || token === 'khoan' || token === 'dieu') {
      mode = token;
      continue;
    }
    if (token === ',' || token === 'va') continue;
    if (mode === 'diem' && POINT_LETTERS.has(written.toLowerCase())) {
      points.push(written.toLowerCase());
    } else if (mode === 'khoan' && /^\d+[a-z]?$/.test(token)) {
      clauses.push({ clause: token, points });
      points = [];
    } else if (mode === 'dieu' && /^\d+[a-z]?$/.test(token)) {
      const article = `Điều ${token}`;
      if (!clauses.length && !points.length) refs.push(article);
      for (const p of points) refs.push(`điểm ${p} ${article}`);
      for (const c of clauses) {
        if (!c.points.length) refs.push(`khoản ${c.clause} ${article}`);
        for (const p of c.points) refs.push(`điểm ${p} khoản ${c.clause} ${article}`);
      }
      points = [];
      clauses = [];
    } else {
      mode = null;
    }
  }
  // Provisions whose article is never named are kept as written rather than lost.
  for (const c of clauses) refs.push(...(c.points.length ? c.points.map((p) => `điểm ${p} khoản ${c.clause}`) : [`khoản ${c.clause}`]));
  return [...new Set(refs)];
}
