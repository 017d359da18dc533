import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docxOf, paragraph, table, zipOf } from '@thihanh/testing';
import { docxText, documentXmlToText } from './docx-text';
import { PlanDocumentError } from './plan-document.errors';
import { parsePlanFile } from './plan-file';
import { parsePlan } from './plan-parser';

const seed = (name: string) => readFileSync(join(__dirname, `../../../test/fixtures/plans/${name}`), 'utf8');

describe('reading a .docx', () => {
  it('parses a seed saved as .docx exactly like the .txt, one paragraph per line', () => {
    for (const name of ['son-la-plan.txt', 'bac-ninh-plan.txt']) {
      const text = seed(name);
      const docx = docxOf(text.split('\n').map(paragraph));
      expect(parsePlan(docxText(docx))).toEqual(parsePlan(text));
    }
  });

  it('reads a .docx file by its extension, like the .txt it was made from', async () => {
    const text = seed('son-la-plan.txt');
    const file = join(mkdtempSync(join(tmpdir(), 'plan-')), 'Kế hoạch Sơn La.docx');
    writeFileSync(file, docxOf(text.split('\n').map(paragraph)));
    const { plan, source } = await parsePlanFile(file);
    expect(plan).toEqual(parsePlan(text));
    expect(source.fileName).toBe('Kế hoạch Sơn La.docx');
  });

  it('reads stored (uncompressed) entries too', () => {
    const docx = docxOf([paragraph('KẾ HOẠCH'), paragraph('Thử')], { store: true });
    expect(docxText(docx)).toBe('KẾ HOẠCH\nThử');
  });

  it('turns table rows into pipe-separated lines, a cell’s paragraphs joined by "; "', () => {
    const docx = docxOf([
      table([
        ['ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc'],
        ['Số: 215/KH-UBND', 'Bắc Ninh, ngày 20 tháng 4 năm 2026'],
      ]),
      paragraph('KẾ HOẠCH'),
      paragraph('Triển khai thi hành Luật An ninh mạng trên địa bàn tỉnh Bắc Ninh'),
      paragraph(''),
      paragraph('II. NỘI DUNG'),
      table([
        ['STT', 'Nội dung', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian', 'Sản phẩm'],
        ['1', 'Tuyên truyền', 'Công an tỉnh', 'Sở Tư pháp;\nSở Văn hóa, Thể thao và Du lịch', 'Quý IV/2026', 'Tài liệu & tờ rơi'],
      ]),
    ]);
    const text = docxText(docx);
    expect(text.split('\n')).toEqual([
      '| ỦY BAN NHÂN DÂN; TỈNH BẮC NINH | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM; Độc lập - Tự do - Hạnh phúc |',
      '| Số: 215/KH-UBND | Bắc Ninh, ngày 20 tháng 4 năm 2026 |',
      'KẾ HOẠCH',
      'Triển khai thi hành Luật An ninh mạng trên địa bàn tỉnh Bắc Ninh',
      '',
      'II. NỘI DUNG',
      '| STT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian | Sản phẩm |',
      '| 1 | Tuyên truyền | Công an tỉnh | Sở Tư pháp; Sở Văn hóa, Thể thao và Du lịch | Quý IV/2026 | Tài liệu & tờ rơi |',
    ]);
    const plan = parsePlan(text);
    expect([plan.number, plan.issuer, plan.place, plan.issuedOn]).toEqual([
      '215/KH-UBND',
      'ỦY BAN NHÂN DÂN TỈNH BẮC NINH',
      'Bắc Ninh',
      '2026-04-20',
    ]);
    expect(plan.tasks).toEqual([
      {
        number: '1',
        parent: null,
        title: 'Tuyên truyền',
        content: '',
        lead: [{ name: 'Công an tỉnh', agencyId: 'bac-ninh.cong-an-tinh', group: false }],
        implementers: [],
        coordinators: [
          { name: 'Sở Tư pháp', agencyId: 'bac-ninh.so-tu-phap', group: false },
          { name: 'Sở Văn hóa, Thể thao và Du lịch', agencyId: 'bac-ninh.so-van-hoa-the-thao-va-du-lich', group: false },
        ],
        timeline: {
          kind: 'fixed', dueBefore: '2027-01-01', dueMonthDay: null, fromYear: null, gate: null, dependsOn: null, text: 'Quý IV/2026',
        },
        deliverables: ['Tài liệu & tờ rơi'],
        legalRefs: [],
        line: 8,
      },
    ]);
    expect(plan.unparsed).toEqual([]);
  });

  it('keeps tabs and line breaks, drops deleted text and field codes, and pads merged cells', () => {
    const xml =
      '<w:body><w:p><w:r><w:t>Số:</w:t></w:r><w:r><w:tab/><w:t>1/KH</w:t></w:r><w:r><w:br/><w:t>sau</w:t></w:r></w:p>' +
      '<w:p><w:del><w:r><w:delText>bỏ</w:delText></w:r></w:del><w:r><w:instrText>PAGE</w:instrText><w:t>giữ &#7857; &#x1EA1;</w:t></w:r></w:p>' +
      '<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>a|b</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr></w:tbl></w:body>';
    expect(documentXmlToText(xml).split('\n')).toEqual(['Số:\t1/KH', 'sau', 'giữ ằ ạ', '| a/b |  |  |']);
  });

  it('refuses what is not a readable .docx with a clear reason', () => {
    const fail = (data: Buffer) => {
      try {
        docxText(data);
      } catch (error) {
        return [(error as PlanDocumentError).code, (error as Error).message];
      }
      return null;
    };
    expect(fail(Buffer.from('plain text, not a zip'))).toEqual(['PLAN_DOCUMENT.BAD_DOCX', 'Not a readable .docx: not a zip archive']);
    expect(fail(zipOf({ 'other.xml': '<x/>' }))).toEqual([
      'PLAN_DOCUMENT.BAD_DOCX',
      'Not a readable .docx: no word/document.xml: is it a Word document?',
    ]);
    const corrupt = docxOf([paragraph('KẾ HOẠCH')], { store: true });
    corrupt[corrupt.indexOf('KẾ')] ^= 0xff;
    expect(fail(corrupt)).toEqual(['PLAN_DOCUMENT.BAD_DOCX', 'Not a readable .docx: word/document.xml is corrupt (size or CRC mismatch)']);
  });
});
