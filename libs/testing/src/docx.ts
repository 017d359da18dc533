import { zipOf } from '@thihanh/official-document';

export { zipOf };

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A paragraph, its text split over runs the way Word splits it (mid-word, at formatting changes). */
export function paragraph(text: string): string {
  if (!text) return '<w:p/>';
  const middle = Math.floor(text.length / 2);
  const runs = [text.slice(0, middle), text.slice(middle)].filter(Boolean);
  return `<w:p><w:pPr><w:jc w:val="both"/></w:pPr>${runs
    .map((r) => `<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">${escape(r)}</w:t></w:r>`)
    .join('')}</w:p>`;
}

export function table(rows: string[][]): string {
  const cell = (text: string) => `<w:tc><w:tcPr><w:tcW w:w="2000"/></w:tcPr>${text.split('\n').map(paragraph).join('')}</w:tc>`;
  return `<w:tbl><w:tblPr/>${rows.map((r) => `<w:tr>${r.map(cell).join('')}</w:tr>`).join('')}</w:tbl>`;
}

/** A .docx whose body is the given paragraphs and tables (XML made by `paragraph` and `table`). */
export function docxOf(body: string[], options: { store?: boolean } = {}): Buffer {
  const document =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
    `<w:body>${body.join('')}<w:sectPr/></w:body></w:document>`;
  return zipOf(
    {
      '[Content_Types].xml':
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
      'word/document.xml': document,
    },
    options,
  );
}

/** A .docx with one paragraph per line of the text. */
export function docxOfLines(text: string): Buffer {
  return docxOf(text.split('\n').map(paragraph));
}
