import { randomBytes } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { InvalidInputError } from '@thihanh/domain';
import { Block, OfficialDocument, OfficialDocumentError, officialDocx, placeAndDate, zipOf } from './index';

// A 1 × 1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

const letter = (changes: Partial<OfficialDocument> = {}): OfficialDocument => ({
  parentAuthority: 'Bộ Công an',
  issuer: 'Công an tỉnh Sơn La',
  number: '125/CAT-ANM',
  place: 'Sơn La',
  date: '2026-06-05',
  kind: 'letter',
  summary: 'góp ý dự thảo Nghị định quy định chi tiết Luật Dữ liệu',
  addressees: ['Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao'],
  body: [
    { kind: 'paragraph', text: 'Thực hiện Công văn số 2145/BCA-A05 của Bộ Công an, Công an tỉnh Sơn La góp ý như sau:' },
    { kind: 'heading', text: 'I. GÓP Ý CHUNG' },
    { kind: 'paragraph', text: 'Cơ bản nhất trí với dự thảo.\n\nĐề nghị bổ sung quy định chuyển tiếp.' },
    { kind: 'heading', text: '1. Điều 5', level: 2 },
    { kind: 'list', items: ['Khoản 1: giữ nguyên;', '- Khoản 2: bỏ cụm từ "khác".'] },
    { kind: 'table', header: ['STT', 'Vị trí', 'Góp ý'], rows: [['1', 'Điều 5', 'Sửa\nkhoản 2'], ['2', 'Điều 7', 'Nhất trí']], widths: [1, 2, 5], caption: 'Bảng 1. Tổng hợp góp ý' },
  ],
  recipients: ['Như trên', '- Đ/c Giám đốc (để b/c);', 'Lưu: VT, ANM.'],
  signer: { authority: 'KT. Giám đốc', title: 'Phó Giám đốc', name: 'Nguyễn Văn An' },
  ...changes,
});

/** The entries of a zip, read through its local headers. */
function entriesOf(zip: Buffer): Record<string, Buffer> {
  const entries: Record<string, Buffer> = {};
  for (let at = 0; zip.readUInt32LE(at) === 0x04034b50; ) {
    const [method, size, nameLength, extraLength] = [zip.readUInt16LE(at + 8), zip.readUInt32LE(at + 18), zip.readUInt16LE(at + 26), zip.readUInt16LE(at + 28)];
    const start = at + 30 + nameLength + extraLength;
    const data = zip.subarray(start, start + size);
    entries[zip.toString('utf8', at + 30, at + 30 + nameLength)] = method === 8 ? inflateRawSync(data) : data;
    at = start + size;
  }
  return entries;
}

const part = (docx: Buffer, name: string) => entriesOf(docx)[name]?.toString('utf8') ?? '';

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** What Word shows, one line per paragraph; a table row as "| cell | cell |", a cell's lines joined by " / ". */
function linesOf(xml: string): string[] {
  const paragraphs = (part: string) =>
    [...part.matchAll(/<w:p\/>|<w:p>([^]*?)<\/w:p>/g)].map(([, inner = '']) =>
      [...inner.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>|<w:(br|tab)\/>/g)]
        .map(([, text, tag]) => (tag === 'br' ? '\n' : tag === 'tab' ? '\t' : text.replace(/&(\w+);/g, (_, name: string) => ENTITIES[name])))
        .join(''),
    );
  const row = (part: string) => `| ${[...part.matchAll(/<w:tc>([^]*?)<\/w:tc>/g)].map(([, cell]) => paragraphs(cell).filter(Boolean).join(' / ')).join(' | ')} |`;
  return [...xml.matchAll(/<w:tbl>([^]*?)<\/w:tbl>|<w:p\/>|<w:p>[^]*?<\/w:p>/g)].flatMap(([whole, tableXml]) =>
    tableXml ? [...tableXml.matchAll(/<w:tr>([^]*?)<\/w:tr>/g)].map(([, r]) => row(r)) : paragraphs(whole),
  );
}

const lines = (docx: Buffer) => linesOf(part(docx, 'word/document.xml'));

/** Whether `xml` is well-formed as far as Word cares: tags nest and are closed, attributes quoted, text and values escaped. */
function wellFormed(xml: string): boolean {
  const escaped = (text: string) => !/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.test(text) && !/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(text); // eslint-disable-line no-control-regex
  const open: string[] = [];
  for (const token of xml.replace(/^<\?xml [^?]*\?>\s*/, '').match(/<[^<>]*>|[^<>]+|[<>]/g) ?? []) {
    if (!token.startsWith('<')) {
      if (token === '>' || !escaped(token)) return false;
      continue;
    }
    const tag = /^<(\/?)([\w:.-]+)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>$/.exec(token);
    if (!tag || !escaped(tag[3])) return false;
    const [, closing, name, , selfClosing] = tag;
    if (closing && open.pop() !== name) return false;
    if (!closing && !selfClosing) open.push(name);
  }
  return open.length === 0;
}

const errorOf = (make: () => unknown) => {
  try {
    make();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
};

describe('an official document (Decree 30/2020/NĐ-CP)', () => {
  it('lays out a letter: header, number and V/v summary, Kính gửi, the body in order, Nơi nhận ("- …;", the last ".") and the signer', () => {
    expect(lines(officialDocx(letter()))).toEqual([
      '| BỘ CÔNG AN / CÔNG AN TỈNH SƠN LA | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc |',
      '| Số: 125/CAT-ANM / V/v góp ý dự thảo Nghị định quy định chi tiết Luật Dữ liệu | Sơn La, ngày 05 tháng 6 năm 2026 |',
      'Kính gửi: Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao.',
      'Thực hiện Công văn số 2145/BCA-A05 của Bộ Công an, Công an tỉnh Sơn La góp ý như sau:',
      'I. GÓP Ý CHUNG',
      'Cơ bản nhất trí với dự thảo.',
      'Đề nghị bổ sung quy định chuyển tiếp.',
      '1. Điều 5',
      '- Khoản 1: giữ nguyên;',
      '- Khoản 2: bỏ cụm từ "khác".',
      'Bảng 1. Tổng hợp góp ý',
      '| STT | Vị trí | Góp ý |',
      '| 1 | Điều 5 | Sửa / khoản 2 |',
      '| 2 | Điều 7 | Nhất trí |',
      '',
      '| Nơi nhận: / - Như trên; / - Đ/c Giám đốc (để b/c); / - Lưu: VT, ANM. | KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC / Nguyễn Văn An |',
      '',
    ]);
  });

  it('lists several addressees under "Kính gửi:", one a line, the last ending with "."', () => {
    expect(lines(officialDocx(letter({ addressees: ['Bộ Công an', 'Bộ Tư pháp;', 'Văn phòng Chính phủ'] }))).slice(2, 6)).toEqual(['Kính gửi:', '- Bộ Công an;', '- Bộ Tư pháp;', '- Văn phòng Chính phủ.']);
  });

  it('lays out a titled document: the type name and its bold summary centred under the header, no V/v', () => {
    const docx = officialDocx(letter({ kind: 'titled', typeName: 'Báo cáo', parentAuthority: null, addressees: [], summary: 'Kết quả triển khai Luật Dữ liệu' }));
    expect(lines(docx).slice(0, 5)).toEqual([
      '| CÔNG AN TỈNH SƠN LA | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc |',
      '| Số: 125/CAT-ANM | Sơn La, ngày 05 tháng 6 năm 2026 |',
      'BÁO CÁO',
      'Kết quả triển khai Luật Dữ liệu',
      '',
    ]);
    expect(part(docx, 'word/document.xml')).toContain(
      '<w:jc w:val="center"/><w:rPr><w:b/><w:bCs/></w:rPr></w:pPr><w:r><w:rPr><w:b/><w:bCs/></w:rPr><w:t xml:space="preserve">Kết quả triển khai Luật Dữ liệu</w:t>',
    );
  });

  it('leaves the number, and an undated document’s day, month and year, blank to fill by hand', () => {
    const document = part(officialDocx(letter({ number: null, symbol: 'CAT-ANM', date: null })), 'word/document.xml');
    expect(document).toContain('>Số:      /CAT-ANM<');
    expect(document).toContain('>Sơn La, ngày      tháng      năm      <');
    expect(part(officialDocx(letter({ number: null })), 'word/document.xml')).toContain('>Số:      /<');
  });

  it('writes days 1–9 and months 1–2 with a leading zero, as Decree 30 requires', () => {
    expect(placeAndDate('Sơn La', '2026-06-05')).toBe('Sơn La, ngày 05 tháng 6 năm 2026');
    expect(placeAndDate('Hà Nội', '2026-02-15')).toBe('Hà Nội, ngày 15 tháng 02 năm 2026');
    expect(placeAndDate('Bắc Ninh', '2027-01-01')).toBe('Bắc Ninh, ngày 01 tháng 01 năm 2027');
    expect(placeAndDate('Sơn La', '2026-12-31')).toBe('Sơn La, ngày 31 tháng 12 năm 2026');
    expect(placeAndDate('Sơn La', null)).toBe('Sơn La, ngày      tháng      năm      ');
  });

  it('sets an A4 page with Decree 30’s margins (top and bottom 20 mm, left 30 mm, right 15 mm), numbered from page 2', () => {
    const document = part(officialDocx(letter()), 'word/document.xml');
    expect(document).toContain('<w:pgSz w:w="11906" w:h="16838"/>');
    expect(document).toContain('<w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701" w:header="567" w:footer="567" w:gutter="0"/>');
    expect(document).toMatch(/<w:titlePg\/><\/w:sectPr><\/w:body><\/w:document>$/);
  });

  it('sets Times New Roman 14 pt in the Normal style, and body paragraphs justified with a 1 cm first line, 1.15 lines, 6 pt after', () => {
    const docx = officialDocx(letter());
    const styles = part(docx, 'word/styles.xml');
    expect(styles).toMatch(/<w:style w:type="paragraph" w:default="1" w:styleId="Normal">.*w:ascii="Times New Roman".*<w:sz w:val="28"\/>.*?<\/w:style>/);
    expect(styles).toContain('<w:spacing w:before="0" w:after="120" w:line="276" w:lineRule="auto"/><w:ind w:firstLine="567"/><w:jc w:val="both"/>');
    expect(part(docx, 'word/document.xml')).toContain('<w:pPr><w:pStyle w:val="Body"/></w:pPr><w:r><w:t xml:space="preserve">Cơ bản nhất trí với dự thảo.</w:t>');
  });

  it('draws body tables with borders, columns in proportion to the widths, the bold header row repeated on each page', () => {
    const document = part(officialDocx(letter()), 'word/document.xml');
    expect(document).toContain('<w:gridCol w:w="1169"/><w:gridCol w:w="2338"/><w:gridCol w:w="5848"/>');
    expect(document).toContain('<w:tr><w:trPr><w:tblHeader/></w:trPr>');
    expect(document).toMatch(/<w:tblHeader\/><\/w:trPr><w:tc><w:tcPr><w:tcW w:w="1169" w:type="dxa"\/><\/w:tcPr><w:p><w:pPr>[^]*?<w:b\/>[^]*?>STT</);
    expect(document.match(/<w:insideV w:val="single"/g)).toHaveLength(1);
  });

  it('keeps two tables in a row, and a table ending the body, apart from each other and from the closing', () => {
    const table = { kind: 'table' as const, header: ['A', 'B'], rows: [['1', '2']] };
    const document = part(officialDocx(letter({ body: [table, table] })), 'word/document.xml');
    expect(document.match(/<w:tbl>/g)).toHaveLength(4); // header, two body tables, closing
    expect(document).not.toContain('</w:tbl><w:tbl>');
  });

  it('embeds a PNG as an inline picture: its bytes in word/media, a relationship, the png content type, the description', () => {
    const image: Block = { kind: 'image', png: PNG, widthMm: 80, heightMm: 40, description: 'Biểu đồ góp ý theo điều', caption: 'Hình 1. Góp ý theo điều' };
    const docx = officialDocx(letter({ body: [image] }));
    const entries = entriesOf(docx);
    expect(entries['word/media/image1.png'].equals(PNG)).toBe(true);
    expect(part(docx, 'word/_rels/document.xml.rels')).toContain(
      '<Relationship Id="rIdImage1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/>',
    );
    expect(part(docx, '[Content_Types].xml')).toContain('<Default Extension="png" ContentType="image/png"/>');
    const document = part(docx, 'word/document.xml');
    expect(document).toContain('<wp:extent cx="2880000" cy="1440000"/>');
    expect(document).toContain('<wp:docPr id="1" name="Hình 1" descr="Biểu đồ góp ý theo điều"/>');
    expect(document).toContain('<a:blip r:embed="rIdImage1"/>');
    expect(lines(docx)).toContain('Hình 1. Góp ý theo điều');
  });

  it('shrinks a picture wider than the text to the text width, keeping its proportions', () => {
    const document = part(officialDocx(letter({ body: [{ kind: 'image', png: PNG, widthMm: 330, heightMm: 100, description: '' }] })), 'word/document.xml');
    const [, cx, cy] = /<wp:extent cx="(\d+)" cy="(\d+)"\/>/.exec(document)!.map(Number);
    expect(cx).toBe(9355 * 635); // the text width: 210 − 30 − 15 mm, in twips, in EMU
    expect(cx / cy).toBeCloseTo(3.3, 3);
  });

  it('adds no png content type and no media to a document without pictures', () => {
    const docx = officialDocx(letter());
    expect(Object.keys(entriesOf(docx))).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'docProps/core.xml',
      'docProps/app.xml',
      'word/document.xml',
      'word/_rels/document.xml.rels',
      'word/styles.xml',
      'word/settings.xml',
      'word/header1.xml',
    ]);
    expect(part(docx, '[Content_Types].xml')).not.toContain('png');
  });

  it('gives the same bytes for the same document, pictures included', () => {
    const withImage = () => letter({ body: [...letter().body, { kind: 'image', png: Buffer.from(PNG), widthMm: 50, heightMm: 50, description: 'Sơ đồ' }] });
    expect(officialDocx(withImage()).equals(officialDocx(withImage()))).toBe(true);
    expect(officialDocx(letter()).equals(officialDocx(letter({ date: '2026-06-06' })))).toBe(false);
  });

  it('escapes text that looks like XML and drops control characters, and every part stays well-formed', () => {
    const hostile = '<b>&\'"\u0007 x';
    const docx = officialDocx(
      letter({
        summary: hostile,
        body: [
          { kind: 'paragraph', text: hostile },
          { kind: 'image', png: PNG, widthMm: 10, heightMm: 10, description: hostile },
        ],
      }),
    );
    for (const [name, content] of Object.entries(entriesOf(docx))) {
      if (/\.(xml|rels)$/.test(name)) expect([name, wellFormed(content.toString('utf8'))]).toEqual([name, true]);
    }
    const document = part(docx, 'word/document.xml');
    expect(document).not.toContain('\u0007');
    expect(document).toContain('descr="&lt;b&gt;&amp;&apos;&quot; x"');
    expect(lines(docx)).toContain('<b>&\'" x');
  });

  it('writes Vietnamese in NFC, whatever normalisation it came in', () => {
    const decomposed = (text: string) => text.normalize('NFD');
    const docx = officialDocx(letter({ issuer: decomposed('Công an tỉnh Sơn La'), place: decomposed('Sơn La'), body: [{ kind: 'paragraph', text: decomposed('Tiếng Việt') }] }));
    const text = lines(docx).join('\n');
    expect(text).toContain('CÔNG AN TỈNH SƠN LA');
    expect(text).toContain('Sơn La, ngày 05');
    expect(text).toContain('\nTiếng Việt\n');
  });

  it.each<[string, Partial<OfficialDocument>, string]>([
    ['an empty issuer', { issuer: '  ' }, 'OFFICIAL_DOCUMENT.REQUIRED'],
    ['an empty summary', { summary: '' }, 'OFFICIAL_DOCUMENT.REQUIRED'],
    ['an empty place', { place: '' }, 'OFFICIAL_DOCUMENT.REQUIRED'],
    ['a titled document without its type name', { kind: 'titled' }, 'OFFICIAL_DOCUMENT.REQUIRED'],
    ['a signer without a title', { signer: { title: '', name: 'Nguyễn Văn An' } }, 'OFFICIAL_DOCUMENT.REQUIRED'],
    ['a day that does not exist', { date: '2026-02-30' }, 'OFFICIAL_DOCUMENT.INVALID_DATE'],
    ['a date not written YYYY-MM-DD', { date: '05/06/2026' }, 'OFFICIAL_DOCUMENT.INVALID_DATE'],
    ['a table row with too few cells', { body: [{ kind: 'table', header: ['STT', 'Nội dung'], rows: [['1']] }] }, 'OFFICIAL_DOCUMENT.INVALID_TABLE'],
    ['a table with no columns', { body: [{ kind: 'table', header: [], rows: [] }] }, 'OFFICIAL_DOCUMENT.INVALID_TABLE'],
    ['table widths that do not match the columns', { body: [{ kind: 'table', header: ['a', 'b'], rows: [], widths: [1, 0] }] }, 'OFFICIAL_DOCUMENT.INVALID_TABLE'],
    ['an image that is not a PNG', { body: [{ kind: 'image', png: Buffer.from('GIF89a'), widthMm: 10, heightMm: 10, description: '' }] }, 'OFFICIAL_DOCUMENT.INVALID_IMAGE'],
    ['an image of no width', { body: [{ kind: 'image', png: PNG, widthMm: 0, heightMm: 10, description: '' }] }, 'OFFICIAL_DOCUMENT.INVALID_IMAGE'],
    ['an image of negative height', { body: [{ kind: 'image', png: PNG, widthMm: 10, heightMm: -1, description: '' }] }, 'OFFICIAL_DOCUMENT.INVALID_IMAGE'],
  ])('rejects %s as invalid input', (_, changes, code) => {
    const error = errorOf(() => officialDocx(letter(changes)));
    expect(error).toBeInstanceOf(OfficialDocumentError);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as OfficialDocumentError).code).toBe(code);
  });
});

describe('zipOf', () => {
  it('writes deflated and stored entries that read back byte for byte', () => {
    const files = { 'a.xml': '<a>'.repeat(100), 'thư mục/ảnh.png': PNG };
    for (const store of [false, true]) {
      const entries = entriesOf(zipOf(files, { store }));
      expect(entries['a.xml'].toString('utf8')).toBe(files['a.xml']);
      expect(entries['thư mục/ảnh.png'].equals(PNG)).toBe(true);
    }
    expect(zipOf(files).length).toBeLessThan(zipOf(files, { store: true }).length);
  });

  it('lists every entry in the central directory, at the offset of its local header', () => {
    const zip = zipOf({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document/>'.repeat(10), 'word/media/image1.png': PNG });
    const end = zip.length - 22;
    expect(zip.readUInt32LE(end)).toBe(0x06054b50);
    const listed: [string, number][] = [];
    for (let i = 0, at = zip.readUInt32LE(end + 16); i < zip.readUInt16LE(end + 10); i += 1) {
      expect(zip.readUInt32LE(at)).toBe(0x02014b50);
      const nameLength = zip.readUInt16LE(at + 28);
      listed.push([zip.toString('utf8', at + 46, at + 46 + nameLength), zip.readUInt32LE(at + 42)]);
      at += 46 + nameLength;
    }
    const locals = listed.map(([, offset]) => zip.readUInt32LE(offset));
    expect(listed.map(([name]) => name)).toEqual(Object.keys(entriesOf(zip)));
    expect(locals).toEqual([0x04034b50, 0x04034b50, 0x04034b50]);
  });

  it('stores an entry that deflating would not shrink, and dates every entry 1980-01-01', () => {
    const zip = zipOf({ 'image.png': randomBytes(1000) });
    expect(zip.readUInt16LE(8)).toBe(0); // stored
    expect([zip.readUInt16LE(10), zip.readUInt16LE(12)]).toEqual([0, 0x21]);
  });
});
