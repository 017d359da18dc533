import { docxPackage, imageRelationshipId } from './docx-package';
import { Format, cleanText, paragraph, paragraphOf, picture, rule, table, twips } from './docx-xml';
import { OfficialDocumentError } from './official-document.errors';

/** An administrative document (văn bản hành chính) as Decree 30/2020/NĐ-CP lays it out. */
export interface OfficialDocument {
  /** Cơ quan, tổ chức chủ quản (line above the issuer, upper case, not bold), e.g. "UBND TỈNH SƠN LA"; null/absent = none. */
  parentAuthority?: string | null;
  /** Tên cơ quan ban hành, e.g. "CÔNG AN TỈNH SƠN LA" (printed upper case, bold, with a short rule under it). */
  issuer: string;
  /** Số, ký hiệu: "125/CAT-ANM"; null = not numbered yet → "Số:      /" and the symbol, e.g. "Số:      /CAT-ANM". */
  number: string | null;
  /** Ký hiệu for an unnumbered document, e.g. "CAT-ANM" (used only when number is null). */
  symbol?: string | null;
  /** Địa danh: "Sơn La". */
  place: string;
  /** YYYY-MM-DD → "Sơn La, ngày 05 tháng 6 năm 2026"; null → blanks to fill by hand. Always italic. */
  date: string | null;
  /**
   * 'letter' = công văn: "V/v <summary>" under the number, and "Kính gửi:" after the header.
   * 'titled' = a document with a type name (BÁO CÁO, KẾ HOẠCH, TỜ TRÌNH…) centred, the summary under it in bold.
   */
  kind: 'letter' | 'titled';
  /** For 'titled': "BÁO CÁO". Ignored for letters. */
  typeName?: string;
  /** Trích yếu nội dung; a letter's gets "V/v " in front unless it starts with it. */
  summary: string;
  /** Kính gửi: one addressee inline; several as a list "- Bộ Công an;" each on its own line. */
  addressees?: string[];
  body: Block[];
  /** Nơi nhận, as given: "- " and ";" (the last ".") are added, e.g. ["Như trên", "Lưu: VT, ANM"]. */
  recipients: string[];
  /** Signer block bottom right: authority line ("KT. GIÁM ĐỐC"), title ("PHÓ GIÁM ĐỐC"), room to sign, name. */
  signer: { authority?: string | null; title: string; name: string };
}

export type Block =
  | { kind: 'heading'; text: string; level?: 1 | 2 }
  | { kind: 'paragraph'; text: string; bold?: boolean; italic?: boolean }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; header: string[]; rows: string[][]; widths?: number[]; caption?: string }
  | { kind: 'image'; png: Buffer; widthMm: number; heightMm: number; description: string; caption?: string };

const PAGE = {
  width: twips(210),
  height: twips(297),
  top: twips(20),
  bottom: twips(20),
  left: twips(30),
  right: twips(15),
  header: twips(10),
  footer: twips(10),
};
const TEXT_WIDTH = PAGE.width - PAGE.left - PAGE.right;
const TEXT_WIDTH_MM = (TEXT_WIDTH * 25.4) / 1440;
const HEADER_COLUMNS = [Math.round(TEXT_WIDTH * 0.4), TEXT_WIDTH - Math.round(TEXT_WIDTH * 0.4)];
const CLOSING_COLUMNS = [Math.round(TEXT_WIDTH * 0.45), TEXT_WIDTH - Math.round(TEXT_WIDTH * 0.45)];
/** "Độc lập - Tự do - Hạnh phúc" in Times New Roman Bold 13 pt, from the font's advance widths: its rule is as long. */
const MOTTO_WIDTH = 3170;
/** Room to sign and stamp: four empty 14 pt lines, about 3 cm. */
const SIGNATURE_LINES = 4;
/** The width of a blank the signer's office fills in by hand. */
const BLANK = ' '.repeat(6);
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The .docx (a zip) of the document; the same document gives the same bytes. */
export function officialDocx(document: OfficialDocument): Buffer {
  const images: Buffer[] = [];
  const body = [
    header(document),
    ...(document.kind === 'titled' ? title(document) : []),
    ...addressees(document.addressees ?? []),
    ...document.body.flatMap((block, index) => blockXml(block, index, images)),
    closing(document),
    // The body must end with a paragraph; a 1 pt one cannot push the signature onto a page of its own.
    paragraph('', { size: 1 }),
  ].join('');
  return docxPackage({ body, images, page: PAGE, title: required(document.summary, 'summary'), creator: required(document.issuer, 'issuer') });
}

/** "Sơn La, ngày 05 tháng 6 năm 2026": days 1–9 and months 1–2 with a leading zero (Decree 30); blanks when no date. */
export function placeAndDate(place: string, date: string | null): string {
  const where = cleanText(place).trim();
  if (date === null) return `${where}, ngày${BLANK}tháng${BLANK}năm${BLANK}`;
  const [year, month, day] = calendarDate(date);
  const twoDigits = (n: number) => String(n).padStart(2, '0');
  return `${where}, ngày ${twoDigits(day)} tháng ${month <= 2 ? twoDigits(month) : month} năm ${year}`;
}

function calendarDate(date: string): [number, number, number] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date ?? '');
  const [year, month, day] = (match ?? []).slice(1).map(Number);
  const real = match && new Date(Date.UTC(year, month - 1, day)).toISOString().startsWith(date);
  if (!real) throw new OfficialDocumentError('OFFICIAL_DOCUMENT.INVALID_DATE', `"${date}" is not a date written YYYY-MM-DD`, { date });
  return [year, month, day];
}

function required(value: string | null | undefined, field: string): string {
  const text = cleanText(value ?? '').trim();
  if (!text) throw new OfficialDocumentError('OFFICIAL_DOCUMENT.REQUIRED', `The document needs its ${field}`, { field });
  return text;
}

const upper = (text: string) => text.toUpperCase().normalize('NFC');
/** A list entry as typed, without the dash and final punctuation the layout adds itself. */
const entry = (text: string) => cleanText(text).trim().replace(/^[-–•+]\s*/, '').replace(/[\s;,.]+$/, '');
const textLines = (text: string) => cleanText(text).split('\n').filter((line) => line.trim());

/**
 * The short rule Decree 30 draws under `text`, 1/3–1/2 as long as it: here 40 % of a rough estimate of
 * its printed width (Times New Roman averages ~0.6 em a character in capitals, ~0.5 em in lower case).
 */
function shortRule(text: string, size: number, emPerCharacter: number, within: number, after = 0): string {
  const longest = Math.max(...text.split('\n').map((line) => line.length));
  const printed = Math.min(longest * emPerCharacter * size * 20, within);
  return rule(Math.max(twips(10), Math.round(printed * 0.4)), within, after);
}

/**
 * Decree 30's header, a borderless table: the issuer (under its parent authority) and the national
 * motto side by side, each with its rule; then the number (and a letter's "V/v …") beside place and date.
 */
function header(document: OfficialDocument): string {
  const [left, right] = HEADER_COLUMNS;
  const centred = (size: number, more: Format = {}): Format => ({ align: 'center', size, ...more });
  const issuer = upper(required(document.issuer, 'issuer'));
  const parent = cleanText(document.parentAuthority ?? '').trim();
  const number = cleanText(document.number ?? '').trim();
  const symbol = cleanText(document.symbol ?? '').trim();
  const summary = required(document.summary, 'summary');
  const identity = [
    parent && paragraph(upper(parent), centred(13)),
    paragraph(issuer, centred(13, { bold: true })),
    shortRule(issuer, 13, 0.6, left),
  ];
  const nation = [
    paragraph('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', centred(12, { bold: true })),
    paragraph('Độc lập - Tự do - Hạnh phúc', centred(13, { bold: true })),
    rule(MOTTO_WIDTH, right),
  ];
  const reference = [
    paragraph(number ? `Số: ${number}` : `Số:${BLANK}/${symbol}`, centred(13, { spacing: { before: 120 } })),
    document.kind === 'letter' && paragraph(/^v\/v\b/i.test(summary) ? summary : `V/v ${summary}`, centred(12, { spacing: { before: 60 } })),
  ];
  const dated = [
    paragraph(placeAndDate(required(document.place, 'place'), document.date), centred(14, { italic: true, spacing: { before: 120 } })),
  ];
  const cell = (paragraphs: (string | false)[]) => paragraphs.filter(Boolean).join('');
  return table(
    [
      [cell(identity), cell(nation)],
      [cell(reference), cell(dated)],
    ],
    { widths: HEADER_COLUMNS, bordered: false },
  );
}

/** A titled document's type name and summary, centred and bold, a short rule under them. */
function title(document: OfficialDocument): string[] {
  const summary = required(document.summary, 'summary');
  return [
    paragraph(upper(required(document.typeName, 'type name')), { align: 'center', bold: true, keepNext: true, spacing: { before: 360 } }),
    paragraph(summary, { align: 'center', bold: true, keepNext: true }),
    shortRule(summary, 14, 0.5, TEXT_WIDTH, 240),
  ];
}

function addressees(names: string[]): string[] {
  const entries = names.map(entry).filter(Boolean);
  if (entries.length === 0) return [];
  if (entries.length === 1) return [paragraph(`Kính gửi: ${entries[0]}.`, { align: 'center', spacing: { before: 240, after: 240 } })];
  const last = entries.length - 1;
  return [
    paragraph('Kính gửi:', { indent: { left: twips(40) }, spacing: { before: 240 } }),
    ...entries.map((name, i) =>
      paragraph(`- ${name}${i === last ? '.' : ';'}`, { indent: { left: twips(60) }, spacing: { after: i === last ? 240 : 0 } }),
    ),
  ];
}

function blockXml(block: Block, index: number, images: Buffer[]): string[] {
  switch (block.kind) {
    case 'heading':
      return [paragraph(block.text, { style: 'Body', bold: true, keepNext: true, outline: (block.level ?? 1) - 1 })];
    case 'paragraph':
      // Blank lines go: the style spaces paragraphs, an empty one would print a gap.
      return textLines(block.text).map((line) => paragraph(line, { style: 'Body', bold: block.bold, italic: block.italic }));
    case 'list':
      return block.items.map((item) => paragraph(`- ${cleanText(item).trim().replace(/^[-–•+]\s+/, '')}`, { style: 'Body' }));
    case 'table':
      return tableBlock(block, index);
    case 'image':
      return imageBlock(block, index, images);
  }
}

const caption = (text: string | undefined, keepNext: boolean) =>
  text?.trim() ? [paragraph(text, { align: 'center', italic: true, size: 13, keepNext, spacing: { before: 60, after: 120 } })] : [];

function tableBlock({ header, rows, widths, caption: captionText }: Extract<Block, { kind: 'table' }>, index: number): string[] {
  const invalid = (reason: string) =>
    new OfficialDocumentError('OFFICIAL_DOCUMENT.INVALID_TABLE', `Table (block ${index + 1}): ${reason}`, { block: index });
  if (header.length === 0) throw invalid('no columns');
  const wrong = rows.findIndex((row) => row.length !== header.length);
  if (wrong >= 0) throw invalid(`row ${wrong + 1} has ${rows[wrong].length} cells for ${header.length} columns`);
  const relative = widths ?? header.map(() => 1);
  if (relative.length !== header.length || !relative.every((width) => Number.isFinite(width) && width > 0)) {
    throw invalid(`widths must be ${header.length} positive numbers`);
  }
  const total = relative.reduce((sum, width) => sum + width, 0);
  const columns = relative.map((width) => Math.floor((TEXT_WIDTH * width) / total));
  columns[columns.length - 1] += TEXT_WIDTH - columns.reduce((sum, width) => sum + width, 0);
  // 12 pt in tables, as administrative tables are set: seven columns of figures fit without breaking words.
  const cell = (text: string, format: Format) =>
    textLines(text)
      .map((line) => paragraph(line, { size: 12, spacing: { before: 40, after: 40 }, ...format }))
      .join('');
  const grid = [header.map((text) => cell(text, { align: 'center', bold: true })), ...rows.map((row) => row.map((text) => cell(text, {})))];
  // A paragraph after every table: Word and LibreOffice join two adjacent tables into one (and the
  // second's borderless layout, the closing, would take the first's grid away).
  return [...caption(captionText, true), table(grid, { widths: columns, bordered: true, headerRows: 1 }), paragraph('', { size: 6, spacing: { before: 0, after: 60 } })];
}

function imageBlock({ png, widthMm, heightMm, description, caption: captionText }: Extract<Block, { kind: 'image' }>, index: number, images: Buffer[]): string[] {
  const invalid = (reason: string) =>
    new OfficialDocumentError('OFFICIAL_DOCUMENT.INVALID_IMAGE', `Image (block ${index + 1}): ${reason}`, { block: index });
  if (!Buffer.isBuffer(png) || !png.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) throw invalid('not a PNG');
  if (!(widthMm > 0 && heightMm > 0 && Number.isFinite(widthMm) && Number.isFinite(heightMm))) {
    throw invalid(`size ${widthMm} × ${heightMm} mm is not positive`);
  }
  // Wider than the text it would run into the margin: shrink it, keeping its proportions.
  const scale = Math.min(1, TEXT_WIDTH_MM / widthMm);
  images.push(png);
  const n = images.length;
  const drawing = picture({ relationshipId: imageRelationshipId(n), id: n, widthMm: widthMm * scale, heightMm: heightMm * scale, description });
  return [paragraphOf(drawing, { align: 'center', keepNext: Boolean(captionText?.trim()), spacing: { before: 120, after: 60 } }), ...caption(captionText, false)];
}

/** Nơi nhận bottom left; the signer bottom right, centred, with room to sign between title and name. */
function closing({ recipients, signer }: OfficialDocument): string {
  const entries = recipients.map(entry).filter(Boolean);
  const last = entries.length - 1;
  const received = [
    paragraph('Nơi nhận:', { bold: true, italic: true, size: 12, spacing: { before: 240 } }),
    ...entries.map((name, i) => paragraph(`- ${name}${i === last ? '.' : ';'}`, { size: 11 })),
  ];
  const centred: Format = { align: 'center', bold: true, keepNext: true };
  const authority = cleanText(signer.authority ?? '').trim();
  const signature = [
    ...(authority ? [paragraph(upper(authority), { ...centred, spacing: { before: 240 } })] : []),
    paragraph(upper(required(signer.title, 'signer title')), { ...centred, spacing: authority ? undefined : { before: 240 } }),
    ...Array.from({ length: SIGNATURE_LINES }, () => paragraph('', { keepNext: true })),
    paragraph(cleanText(signer.name ?? '').trim(), { align: 'center', bold: true }),
  ];
  return table([[received.join(''), signature.join('')]], { widths: CLOSING_COLUMNS, bordered: false });
}
