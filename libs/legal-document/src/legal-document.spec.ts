import { docxOfLines } from '@thihanh/testing';
import { anchorOf, describeAnchor, locate, parseAnchor } from './legal-anchor';
import { diffLegalDocuments, relinkComments } from './legal-diff';
import { LegalDocumentError } from './legal-document.errors';
import { legalDocumentText } from './legal-file';
import { parseLegalDocument } from './legal-parser';

const DRAFT_V1 = `CHÍNH PHỦ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số:      /2026/NĐ-CP
DỰ THẢO

NGHỊ ĐỊNH
Quy định chi tiết một số điều của Luật Dữ liệu

Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;
Căn cứ Luật Dữ liệu ngày 30 tháng 11 năm 2024;
Theo đề nghị của Bộ trưởng Bộ Công an;
Chính phủ ban hành Nghị định quy định chi tiết một số điều của Luật Dữ liệu.

Chương I
QUY ĐỊNH CHUNG

Điều 1. Phạm vi điều chỉnh
Nghị định này quy định chi tiết khoản 3 Điều 12 và khoản 5 Điều 15 của Luật Dữ liệu.

Điều 2. Đối tượng áp dụng
1. Cơ quan nhà nước, tổ chức chính trị - xã hội.
2. Tổ chức, cá nhân nước ngoài tham gia xử lý dữ liệu tại Việt Nam.

Điều 3: Giải thích từ ngữ
Trong Nghị định này, các từ ngữ dưới đây được hiểu như sau:
1. Dữ liệu cốt lõi là dữ liệu quan trọng tác động tới quốc phòng, an ninh.
2. Dữ liệu quan trọng là dữ liệu có thể tác động tới lợi ích quốc gia.

Chương II
THU THẬP VÀ CHIA SẺ DỮ LIỆU

Điều 4. Thu thập dữ liệu
1. Việc thu thập dữ liệu phải bảo đảm các yêu cầu sau:
a) Có mục đích rõ ràng;
b) Đúng phạm vi được giao.
2. Cơ quan thu thập chịu trách nhiệm về tính chính xác của dữ liệu.

Điều 5. Chia sẻ dữ liệu
1. Các hình thức chia sẻ dữ liệu gồm:
a) Chia sẻ qua Trung tâm dữ liệu quốc gia;
b) Chia sẻ qua nền tảng tích hợp, chia sẻ dữ liệu;
c) Chia sẻ qua hệ thống thông tin của bộ, ngành;
d) Chia sẻ qua phương tiện lưu trữ;
đ) Hình thức khác theo quy định của pháp luật.
Việc lựa chọn hình thức do cơ quan chia sẻ quyết định.
2. Việc chia sẻ dữ liệu phải được ghi nhật ký đầy đủ.
`;

// Version 2: a principle article inserted as Điều 3 (old Điều 3 becomes Điều 4), old Điều 4 dropped,
// point b of Điều 5 reworded.
const DRAFT_V2 = DRAFT_V1.replace(
  'Điều 3: Giải thích từ ngữ',
  `Điều 3. Nguyên tắc bảo vệ dữ liệu
1. Dữ liệu được bảo vệ theo mức độ quan trọng:
a) Dữ liệu cốt lõi được bảo vệ ở cấp độ cao nhất;
b) Dữ liệu quan trọng được bảo vệ ở cấp độ cao.

Điều 4. Giải thích từ ngữ`,
)
  .replace(/Điều 4\. Thu thập dữ liệu[\s\S]*?(?=Điều 5)/, '')
  .replace('b) Chia sẻ qua nền tảng tích hợp, chia sẻ dữ liệu;', 'b) Chia sẻ qua nền tảng tích hợp, chia sẻ dữ liệu quốc gia;');

describe('parsing a draft decree', () => {
  const draft = parseLegalDocument(DRAFT_V1);

  it('reads the title after the document type and keeps the header and legal bases as preamble', () => {
    expect(draft.title).toBe('Quy định chi tiết một số điều của Luật Dữ liệu');
    expect(draft.preamble).toEqual([
      'CHÍNH PHỦ',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'Số: /2026/NĐ-CP',
      'DỰ THẢO',
      'NGHỊ ĐỊNH',
      'Quy định chi tiết một số điều của Luật Dữ liệu',
      'Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;',
      'Căn cứ Luật Dữ liệu ngày 30 tháng 11 năm 2024;',
      'Theo đề nghị của Bộ trưởng Bộ Công an;',
      'Chính phủ ban hành Nghị định quy định chi tiết một số điều của Luật Dữ liệu.',
    ]);
    expect(draft.unparsed).toEqual([]);
  });

  it('groups articles under chapters titled on the next line', () => {
    expect(draft.chapters.map((c) => [c.number, c.title, c.articles.map((a) => a.number)])).toEqual([
      ['I', 'QUY ĐỊNH CHUNG', [1, 2, 3]],
      ['II', 'THU THẬP VÀ CHIA SẺ DỮ LIỆU', [4, 5]],
    ]);
  });

  it('reads articles headed "Điều N." or "Điều N:" with their anchor, chapter and whole body', () => {
    expect(draft.articles.map(({ id, number, title, chapter }) => ({ id, number, title, chapter }))).toEqual([
      { id: 'dieu-1', number: 1, title: 'Phạm vi điều chỉnh', chapter: 'I' },
      { id: 'dieu-2', number: 2, title: 'Đối tượng áp dụng', chapter: 'I' },
      { id: 'dieu-3', number: 3, title: 'Giải thích từ ngữ', chapter: 'I' },
      { id: 'dieu-4', number: 4, title: 'Thu thập dữ liệu', chapter: 'II' },
      { id: 'dieu-5', number: 5, title: 'Chia sẻ dữ liệu', chapter: 'II' },
    ]);
    expect(draft.articles[0]).toMatchObject({
      text: 'Nghị định này quy định chi tiết khoản 3 Điều 12 và khoản 5 Điều 15 của Luật Dữ liệu.',
      clauses: [],
    });
    expect(draft.articles[2].text).toBe(
      'Trong Nghị định này, các từ ngữ dưới đây được hiểu như sau:\n' +
        '1. Dữ liệu cốt lõi là dữ liệu quan trọng tác động tới quốc phòng, an ninh.\n' +
        '2. Dữ liệu quan trọng là dữ liệu có thể tác động tới lợi ích quốc gia.',
    );
    expect(draft.chapters[1].articles[1]).toBe(draft.articles[4]);
  });

  it('reads clauses and their points, "đ" after "d", a trailing paragraph joining the last point', () => {
    expect(draft.articles[1].clauses).toEqual([
      { number: 1, text: 'Cơ quan nhà nước, tổ chức chính trị - xã hội.', points: [] },
      { number: 2, text: 'Tổ chức, cá nhân nước ngoài tham gia xử lý dữ liệu tại Việt Nam.', points: [] },
    ]);
    expect(draft.articles[4].clauses).toEqual([
      {
        number: 1,
        text: 'Các hình thức chia sẻ dữ liệu gồm:',
        points: [
          { letter: 'a', text: 'Chia sẻ qua Trung tâm dữ liệu quốc gia;' },
          { letter: 'b', text: 'Chia sẻ qua nền tảng tích hợp, chia sẻ dữ liệu;' },
          { letter: 'c', text: 'Chia sẻ qua hệ thống thông tin của bộ, ngành;' },
          { letter: 'd', text: 'Chia sẻ qua phương tiện lưu trữ;' },
          { letter: 'đ', text: 'Hình thức khác theo quy định của pháp luật.\nViệc lựa chọn hình thức do cơ quan chia sẻ quyết định.' },
        ],
      },
      { number: 2, text: 'Việc chia sẻ dữ liệu phải được ghi nhật ký đầy đủ.', points: [] },
    ]);
  });

  it('parses NFD text with CRLF line ends exactly like NFC with LF', () => {
    expect(parseLegalDocument(DRAFT_V1.normalize('NFD').replace(/\n/g, '\r\n'))).toEqual(draft);
  });

  it('reports out-of-sequence clauses, stray points and lines outside articles, keeping them in the article text', () => {
    const odd = parseLegalDocument(
      ['Chương I QUY ĐỊNH CHUNG', 'Mục 1. Dữ liệu', 'Điều 1. Phạm vi', 'a) Không thuộc khoản nào', '1. Khoản một', 'f) Không phải điểm', '3. Khoản ba', 'Điều 1. Trùng số', 'Nội dung trùng'].join('\n'),
    );
    expect(odd.chapters).toEqual([{ number: 'I', title: 'QUY ĐỊNH CHUNG', articles: odd.articles }]);
    expect(odd.articles).toEqual([
      {
        id: 'dieu-1',
        number: 1,
        title: 'Phạm vi',
        chapter: 'I',
        text: 'a) Không thuộc khoản nào\n1. Khoản một\nf) Không phải điểm\n3. Khoản ba',
        clauses: [{ number: 1, text: 'Khoản một\nf) Không phải điểm', points: [] }],
      },
    ]);
    expect(odd.unparsed).toEqual([
      { line: 2, text: 'Mục 1. Dữ liệu' },
      { line: 4, text: 'a) Không thuộc khoản nào' },
      { line: 7, text: '3. Khoản ba' },
      { line: 8, text: 'Điều 1. Trùng số' },
      { line: 9, text: 'Nội dung trùng' },
    ]);
  });
});

describe('anchors', () => {
  it('names every article, clause and point and round-trips through parseAnchor', () => {
    const draft = parseLegalDocument(DRAFT_V1);
    const anchors = draft.articles.flatMap((a) => [
      anchorOf({ article: a.number }),
      ...a.clauses.flatMap((c) => [
        anchorOf({ article: a.number, clause: c.number }),
        ...c.points.map((p) => anchorOf({ article: a.number, clause: c.number, point: p.letter })),
      ]),
    ]);
    expect(anchors).toContain('dieu-5.khoan-1.diem-dd');
    expect(new Set(anchors).size).toBe(anchors.length);
    for (const anchor of anchors) {
      const place = parseAnchor(anchor);
      expect(place && anchorOf(place)).toBe(anchor);
      expect(locate(draft, anchor)).not.toBeNull();
    }
    expect(locate(draft, 'dieu-5.khoan-1.diem-dd')?.point).toEqual(draft.articles[4].clauses[0].points[4]);
  });

  it('reads "diem-đ" as "diem-dd" and rejects what is not an anchor', () => {
    expect(parseAnchor('dieu-5.khoan-1.diem-đ')).toEqual({ article: 5, clause: 1, point: 'đ' });
    expect(parseAnchor('dieu-5.khoan-1')).toEqual({ article: 5, clause: 1 });
    for (const bad of ['dieu-5.diem-a', 'dieu-5.khoan-1.diem-f', 'khoan-1', 'dieu-x', '']) expect(parseAnchor(bad)).toBeNull();
  });

  it('describes a place the way Vietnamese legal texts cite it', () => {
    expect(describeAnchor('dieu-5.khoan-1.diem-a')).toBe('điểm a khoản 1 Điều 5');
    expect(describeAnchor('dieu-5.khoan-1.diem-dd')).toBe('điểm đ khoản 1 Điều 5');
    expect(describeAnchor('dieu-3.khoan-2')).toBe('khoản 2 Điều 3');
    expect(describeAnchor({ article: 7 })).toBe('Điều 7');
  });
});

describe('comparing two versions of a draft', () => {
  const before = parseLegalDocument(DRAFT_V1);
  const after = parseLegalDocument(DRAFT_V2);

  it('lists each article as unchanged, changed, added or removed, following renumbered ones by title', () => {
    expect(after.articles.map((a) => `${a.number}. ${a.title}`)).toEqual([
      '1. Phạm vi điều chỉnh',
      '2. Đối tượng áp dụng',
      '3. Nguyên tắc bảo vệ dữ liệu',
      '4. Giải thích từ ngữ',
      '5. Chia sẻ dữ liệu',
    ]);
    expect(diffLegalDocuments(before, after)).toEqual([
      { status: 'unchanged', before: 1, after: 1, title: 'Phạm vi điều chỉnh', clauses: [] },
      { status: 'unchanged', before: 2, after: 2, title: 'Đối tượng áp dụng', clauses: [] },
      { status: 'added', before: null, after: 3, title: 'Nguyên tắc bảo vệ dữ liệu', clauses: [] },
      { status: 'unchanged', before: 3, after: 4, title: 'Giải thích từ ngữ', clauses: [] },
      { status: 'removed', before: 4, after: null, title: 'Thu thập dữ liệu', clauses: [] },
      {
        status: 'changed',
        before: 5,
        after: 5,
        title: 'Chia sẻ dữ liệu',
        clauses: [{ status: 'changed', before: 1, after: 1, points: [{ status: 'changed', before: 'b', after: 'b' }] }],
      },
    ]);
  });

  it('relinks comments: renumbered places move, changed ones are flagged, removed ones orphaned', () => {
    const comments = [
      { id: 'c1', anchor: 'dieu-1' },
      { id: 'c2', anchor: 'dieu-3' },
      { id: 'c3', anchor: 'dieu-3.khoan-2' },
      { id: 'c4', anchor: 'dieu-4.khoan-1.diem-a' },
      { id: 'c5', anchor: 'dieu-5' },
      { id: 'c6', anchor: 'dieu-5.khoan-1' },
      { id: 'c7', anchor: 'dieu-5.khoan-1.diem-b' },
      { id: 'c8', anchor: 'dieu-5.khoan-1.diem-dd' },
      { id: 'c9', anchor: 'dieu-5.khoan-2' },
      { id: 'c10', anchor: 'dieu-9' },
    ];
    expect(relinkComments(comments, before, after)).toEqual([
      { id: 'c1', anchor: 'dieu-1', status: 'linked' },
      { id: 'c2', anchor: 'dieu-4', status: 'linked' },
      { id: 'c3', anchor: 'dieu-4.khoan-2', status: 'linked' },
      { id: 'c4', anchor: 'dieu-4.khoan-1.diem-a', status: 'orphaned' },
      { id: 'c5', anchor: 'dieu-5', status: 'flagged' },
      { id: 'c6', anchor: 'dieu-5.khoan-1', status: 'flagged' },
      { id: 'c7', anchor: 'dieu-5.khoan-1.diem-b', status: 'flagged' },
      { id: 'c8', anchor: 'dieu-5.khoan-1.diem-dd', status: 'linked' },
      { id: 'c9', anchor: 'dieu-5.khoan-2', status: 'linked' },
      { id: 'c10', anchor: 'dieu-9', status: 'orphaned' },
    ]);
  });

  it('follows a clause renumbered by a clause inserted before it', () => {
    const v1 = parseLegalDocument('Điều 2. Đối tượng áp dụng\n1. Cơ quan nhà nước.\n2. Tổ chức nước ngoài.');
    const v2 = parseLegalDocument('Điều 2. Đối tượng áp dụng\n1. Cơ quan nhà nước.\n2. Đơn vị sự nghiệp công lập.\n3. Tổ chức nước ngoài.');
    expect(diffLegalDocuments(v1, v2)).toEqual([
      { status: 'changed', before: 2, after: 2, title: 'Đối tượng áp dụng', clauses: [{ status: 'added', before: null, after: 2, points: [] }] },
    ]);
    expect(relinkComments([{ id: 'c', anchor: 'dieu-2.khoan-2' }], v1, v2)).toEqual([{ id: 'c', anchor: 'dieu-2.khoan-3', status: 'linked' }]);
  });
});

describe('reading a draft file', () => {
  it('parses a .docx, one paragraph per line, exactly like the .txt', () => {
    const fromTxt = parseLegalDocument(legalDocumentText('du-thao.txt', Buffer.from(DRAFT_V1, 'utf8')));
    const fromDocx = parseLegalDocument(legalDocumentText('Dự thảo Nghị định.DOCX', docxOfLines(DRAFT_V1)));
    expect(fromDocx).toEqual(fromTxt);
    expect(fromDocx.articles).toHaveLength(5);
  });

  it('rejects other file types, text that is not UTF-8 and a .docx that is not one, with a code', () => {
    const failure = (fileName: string, bytes: Buffer) => {
      try {
        legalDocumentText(fileName, bytes);
      } catch (error) {
        return error instanceof LegalDocumentError ? [error.code, error.message] : error;
      }
      return 'no error';
    };
    expect(failure('du-thao.pdf', Buffer.from('%PDF'))).toEqual([
      'LEGAL_DOCUMENT.UNSUPPORTED_TYPE',
      'Unsupported draft file type ".pdf" for du-thao.pdf: expected .txt or .docx',
    ]);
    expect(failure('du-thao.doc', Buffer.from(''))).toEqual([
      'LEGAL_DOCUMENT.UNSUPPORTED_TYPE',
      'Unsupported draft file type ".doc" for du-thao.doc (save it as .docx): expected .txt or .docx',
    ]);
    expect(failure('du-thao.txt', Buffer.from([0xc4, 0x90, 0xff]))).toEqual(['LEGAL_DOCUMENT.NOT_UTF8', 'du-thao.txt is not UTF-8 text: save it as UTF-8 or as .docx']);
    expect(failure('du-thao.docx', Buffer.from('plain text'))).toEqual(['LEGAL_DOCUMENT.BAD_DOCX', 'du-thao.docx: Not a readable .docx: not a zip archive']);
  });
});
