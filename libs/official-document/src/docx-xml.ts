/** Twips (1/1440 inch, Word's unit for the page, indents and table widths) in `mm` millimetres. */
export const twips = (mm: number) => Math.round((mm * 1440) / 25.4);

/** English Metric Units (DrawingML's unit for pictures) in `mm` millimetres. */
export const emu = (mm: number) => Math.round(mm * 36000);

// XML 1.0 allows tab, LF, CR and everything from U+0020 up except U+FFFE, U+FFFF and unpaired surrogates.
// One stray control character (a bell pasted from a terminal, a form feed from a PDF) and Word refuses
// the whole file, so they go rather than the document.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text as it is printed: without what XML forbids, LF line ends, NFC (one code point per Vietnamese letter). */
export function cleanText(text: string): string {
  return text.replace(NOT_XML, '').replace(/\r\n?/g, '\n').normalize('NFC');
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text made safe for element content and attribute values alike. */
export function xml(text: string): string {
  return cleanText(text).replace(/[&<>"']/g, (character) => ENTITIES[character]);
}

export interface Format {
  style?: 'Body';
  align?: 'left' | 'center' | 'both';
  /** Points; the style's (14 pt) when absent. */
  size?: number;
  bold?: boolean;
  italic?: boolean;
  /** Twips. */
  indent?: { left?: number; right?: number; firstLine?: number };
  /** Twips before/after; `line` in 240ths of a line (276 = 1.15 lines). */
  spacing?: { before?: number; after?: number; line?: number };
  keepNext?: boolean;
  /** Level in Word's navigation pane (0 = top). */
  outline?: number;
  /** A rule along the top edge: drawn under the preceding line when the paragraph itself is empty. */
  ruleAbove?: boolean;
}

const attributes = (values: Record<string, number | undefined>) =>
  Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ` w:${name}="${value}"`)
    .join('');

function runProperties({ bold, italic, size }: Format): string {
  const properties =
    (bold ? '<w:b/><w:bCs/>' : '') +
    (italic ? '<w:i/><w:iCs/>' : '') +
    (size ? `<w:sz w:val="${size * 2}"/><w:szCs w:val="${size * 2}"/>` : '');
  return properties && `<w:rPr>${properties}</w:rPr>`;
}

// Child elements in the order the schema requires: Word rejects a file whose pPr is out of order.
function paragraphProperties(format: Format): string {
  const { style, align, indent, spacing, keepNext, outline, ruleAbove } = format;
  const properties =
    (style ? `<w:pStyle w:val="${style}"/>` : '') +
    (keepNext ? '<w:keepNext/>' : '') +
    (ruleAbove ? '<w:pBdr><w:top w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr>' : '') +
    (spacing ? `<w:spacing${attributes(spacing)}${spacing.line ? ' w:lineRule="auto"' : ''}/>` : '') +
    (indent ? `<w:ind${attributes(indent)}/>` : '') +
    (align ? `<w:jc w:val="${align}"/>` : '') +
    (outline !== undefined ? `<w:outlineLvl w:val="${outline}"/>` : '') +
    // The paragraph mark carries the run format too, so an empty paragraph is as tall as its text would be.
    runProperties(format);
  return properties && `<w:pPr>${properties}</w:pPr>`;
}

/** One run of text; "\n" becomes a line break and "\t" a tab. */
export function run(text: string, format: Format = {}): string {
  const content = cleanText(text)
    .split('\n')
    .map((line) =>
      line
        .split('\t')
        .map((piece) => piece && `<w:t xml:space="preserve">${xml(piece)}</w:t>`)
        .join('<w:tab/>'),
    )
    .join('<w:br/>');
  return content && `<w:r>${runProperties(format)}${content}</w:r>`;
}

/** A paragraph of `content` (runs, a drawing). */
export function paragraphOf(content: string, format: Format = {}): string {
  return `<w:p>${paragraphProperties(format)}${content}</w:p>`;
}

export function paragraph(text: string, format: Format = {}): string {
  return paragraphOf(run(text, format), format);
}

/**
 * A short centred rule of `width` twips in a space `within` twips wide — as Decree 30 draws under the
 * issuer, the motto and a title's summary: the top border of an empty 1 pt paragraph, so it sits right
 * under the line before.
 */
export function rule(width: number, within: number, after = 0): string {
  const side = Math.max(0, Math.round((within - width) / 2));
  return paragraph('', { size: 1, ruleAbove: true, indent: { left: side, right: side }, spacing: { before: 0, after, line: 240 } });
}

/**
 * A table with fixed column `widths` (twips) whose cells hold paragraph XML; `bordered` draws the grid
 * (a layout table has none and no side margins, so its text lines up with the page's), and the first
 * `headerRows` repeat at the top of every page the table runs onto.
 */
export function table(rows: string[][], { widths, bordered, headerRows = 0 }: { widths: number[]; bordered: boolean; headerRows?: number }): string {
  const side = (name: string) =>
    bordered ? `<w:${name} w:val="single" w:sz="4" w:space="0" w:color="auto"/>` : `<w:${name} w:val="nil"/>`;
  const properties =
    '<w:tblPr>' +
    `<w:tblW w:w="${widths.reduce((sum, width) => sum + width, 0)}" w:type="dxa"/>` +
    `<w:tblBorders>${['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map(side).join('')}</w:tblBorders>` +
    '<w:tblLayout w:type="fixed"/>' +
    (bordered ? '' : '<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>') +
    '</w:tblPr>';
  const grid = `<w:tblGrid>${widths.map((width) => `<w:gridCol w:w="${width}"/>`).join('')}</w:tblGrid>`;
  const cell = (content: string, column: number) =>
    `<w:tc><w:tcPr><w:tcW w:w="${widths[column]}" w:type="dxa"/></w:tcPr>${content || '<w:p/>'}</w:tc>`;
  const row = (cells: string[], index: number) =>
    `<w:tr>${index < headerRows ? '<w:trPr><w:tblHeader/></w:trPr>' : ''}${cells.map(cell).join('')}</w:tr>`;
  return `<w:tbl>${properties}${grid}${rows.map(row).join('')}</w:tbl>`;
}

/** An inline picture (wp:inline) of the image related as `relationshipId`; `id` is unique in the document. */
export function picture({ relationshipId, id, widthMm, heightMm, description }: {
  relationshipId: string;
  id: number;
  widthMm: number;
  heightMm: number;
  description: string;
}): string {
  const extent = `cx="${emu(widthMm)}" cy="${emu(heightMm)}"`;
  const names = `id="${id}" name="Hình ${id}" descr="${xml(description)}"`;
  return (
    '<w:r><w:drawing>' +
    `<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent ${extent}/><wp:effectExtent l="0" t="0" r="0" b="0"/>` +
    `<wp:docPr ${names}/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>` +
    '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">' +
    `<pic:pic><pic:nvPicPr><pic:cNvPr ${names}/><pic:cNvPicPr/></pic:nvPicPr>` +
    `<pic:blipFill><a:blip r:embed="${relationshipId}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>` +
    `<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext ${extent}/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>` +
    '</pic:pic></a:graphicData></a:graphic></wp:inline>' +
    '</w:drawing></w:r>'
  );
}
