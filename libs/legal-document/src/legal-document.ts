/** A draft legal document (dự thảo Nghị định) as structure, so comments can point at a precise place. */
export interface LegalDocument {
  /** The line after the document type ("NGHỊ ĐỊNH" → "Quy định chi tiết …"); null without one. */
  title: string | null;
  chapters: Chapter[];
  /** Every article in document order, whether or not it sits in a chapter. */
  articles: Article[];
  /** Lines before the first chapter or article: header, title, legal bases ("Căn cứ …"). */
  preamble: string[];
  /** Lines that fit nowhere, with their 1-based line number; never silently dropped. */
  unparsed: UnparsedLine[];
}

export interface Chapter {
  /** Roman numeral as written: "I", "II". */
  number: string;
  title: string;
  articles: Article[];
}

export interface Article {
  /** The anchor of the article: "dieu-5". */
  id: string;
  number: number;
  title: string;
  /** The Roman numeral of its chapter, null outside chapters. */
  chapter: string | null;
  /** The whole body after the heading, one line per paragraph. */
  text: string;
  clauses: Clause[];
}

export interface Clause {
  number: number;
  /** The clause's own text without its "1." marker, not including its points. */
  text: string;
  points: Point[];
}

export interface Point {
  /** As written: "a", "đ". */
  letter: string;
  /** Without its "a)" marker; continuation lines joined by "\n". */
  text: string;
}

export interface UnparsedLine {
  line: number;
  text: string;
}
