import { POINT_LETTERS, anchorOf } from './legal-anchor';
import type { Article, Chapter, Clause, LegalDocument, Point } from './legal-document';

const CHAPTER = /^Chương\s+([IVXLC]+)(?![\p{L}\d])\s*[.:\-–]?\s*(.*)$/iu;
const ARTICLE = /^Điều\s+(\d+)\s*(?:[.:]\s*(.*))?$/iu;
const CLAUSE = /^(\d+)\.(?:\s+(.*))?$/u;
const POINT = /^(\p{Ll})\)(?:\s+(.*))?$/u;
const DOCUMENT_TYPE = /^(NGHỊ ĐỊNH|THÔNG TƯ|LUẬT|QUYẾT ĐỊNH|NGHỊ QUYẾT|PHÁP LỆNH)$/u;

/** NFC, one kind of line break and space, no invisible characters; blank lines dropped later. */
function cleanLines(text: string): string[] {
  return text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/\u200b|\u200c|\u200d|\u2060|\ufeff/g, '')
    .split('\n')
    .map((line) => line.replace(/[\s\u00a0\u202f]+/g, ' ').trim());
}

/**
 * The structure of a draft: chapters ("Chương I" + its title on the same or the next line), articles
 * ("Điều 5. Tên" or "Điều 5: Tên"), clauses ("1." at line start) and points ("a)" … "đ)" …).
 * A clause or point counts only when it is the next in sequence (2 after 1, "đ" after "d"): anything
 * else — a quoted amendment's numbering, a typo — is reported in `unparsed` and stays in the article's
 * text, so anchors are unique and never shift silently. Lines outside any article after the first
 * heading ("Mục 1 …", a repeated article number's body) are `unparsed` too.
 */
export function parseLegalDocument(text: string): LegalDocument {
  const document: LegalDocument = { title: null, chapters: [], articles: [], preamble: [], unparsed: [] };
  const bodies = new Map<Article, string[]>();
  let chapter: Chapter | null = null;
  let chapterNeedsTitle = false;
  let article: Article | null = null;
  let clause: Clause | null = null;
  let point: Point | null = null;
  let started = false;
  const lines = cleanLines(text);

  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index];
    const unparsed = () => document.unparsed.push({ line: index + 1, text: line });
    if (!line) continue;
    const chapterMatch = CHAPTER.exec(line);
    if (chapterMatch) {
      started = true;
      article = null;
      chapter = { number: chapterMatch[1].toUpperCase(), title: chapterMatch[2], articles: [] };
      chapterNeedsTitle = !chapterMatch[2];
      document.chapters.push(chapter);
      continue;
    }
    const articleMatch = ARTICLE.exec(line);
    if (articleMatch) {
      started = true;
      chapterNeedsTitle = false;
      const number = Number(articleMatch[1]);
      if (document.articles.some((a) => a.number === number)) {
        article = null;
        unparsed();
        continue;
      }
      article = { id: anchorOf({ article: number }), number, title: articleMatch[2] ?? '', chapter: chapter?.number ?? null, text: '', clauses: [] };
      clause = null;
      point = null;
      bodies.set(article, []);
      document.articles.push(article);
      chapter?.articles.push(article);
      continue;
    }
    if (!started) {
      document.preamble.push(line);
      continue;
    }
    if (chapterNeedsTitle && chapter) {
      chapter.title = line;
      chapterNeedsTitle = false;
      continue;
    }
    if (!article) {
      unparsed();
      continue;
    }
    bodies.get(article)?.push(line);
    const clauseMatch = CLAUSE.exec(line);
    if (clauseMatch) {
      if (Number(clauseMatch[1]) === article.clauses.length + 1) {
        clause = { number: Number(clauseMatch[1]), text: clauseMatch[2] ?? '', points: [] };
        point = null;
        article.clauses.push(clause);
      } else unparsed();
      continue;
    }
    const pointMatch = POINT.exec(line);
    if (pointMatch && (POINT_LETTERS as readonly string[]).includes(pointMatch[1])) {
      if (clause && pointMatch[1] === POINT_LETTERS[clause.points.length]) {
        point = { letter: pointMatch[1], text: pointMatch[2] ?? '' };
        clause.points.push(point);
      } else unparsed();
      continue;
    }
    // A continuation paragraph belongs to the innermost open part (the article's text has it anyway).
    const innermost = point ?? clause;
    if (innermost) innermost.text = innermost.text ? `${innermost.text}\n${line}` : line;
  }

  for (const [a, body] of bodies) a.text = body.join('\n');
  const typeAt = document.preamble.findIndex((line) => DOCUMENT_TYPE.test(line));
  if (typeAt >= 0 && typeAt + 1 < document.preamble.length) document.title = document.preamble[typeAt + 1];
  return document;
}
