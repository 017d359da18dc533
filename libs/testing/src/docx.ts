import { crc32, deflateRawSync } from 'node:zlib';

/** A minimal zip archive, as Word writes one: local headers, central directory, end record. */
export function zipOf(files: Record<string, string | Buffer>, { store = false } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
    const packed = store ? data : deflateRawSync(data);
    const fileName = Buffer.from(name, 'utf8');
    const common = (header: Buffer, at: number) => {
      header.writeUInt16LE(20, at); // version needed
      header.writeUInt16LE(0x0800, at + 2); // UTF-8 names
      header.writeUInt16LE(store ? 0 : 8, at + 4);
      header.writeUInt32LE(crc32(data) >>> 0, at + 10);
      header.writeUInt32LE(packed.length, at + 14);
      header.writeUInt32LE(data.length, at + 18);
      header.writeUInt16LE(fileName.length, at + 22);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    common(local, 4);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // version made by
    common(central, 6);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, packed);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

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
