import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParsedTask, ParsedTimeline } from './plan-document';
import { parsePlan } from './plan-parser';

// Every expectation below is written from reading test/fixtures/plans/son-la-plan.txt, not from output.
const text = readFileSync(join(__dirname, '../../../test/fixtures/plans/son-la-plan.txt'), 'utf8');
const plan = parsePlan(text);

const party = (name: string, agencyId: string, group = false) => ({ name, agencyId, group });
const congAn = party('Công an tỉnh', 'son-la.cong-an-tinh');
const soBanNganh = party('các sở, ban, ngành của tỉnh', 'son-la.group.cac-so-ban-nganh', true);
const donViSuNghiep = party(
  'các đơn vị sự nghiệp công lập trực thuộc Ủy ban nhân dân tỉnh',
  'son-la.group.don-vi-su-nghiep-cong-lap',
  true,
);
const ubndXaPhuong = party('Ủy ban nhân dân các xã, phường', 'son-la.group.ubnd-cac-xa-phuong', true);
const threeGroups = [soBanNganh, donViSuNghiep, ubndXaPhuong];

const timeline = (kind: ParsedTimeline['kind'], text: string, fields: Partial<ParsedTimeline> = {}): ParsedTimeline => ({
  kind,
  dueBefore: null,
  dueMonthDay: null,
  fromYear: null,
  gate: null,
  dependsOn: null,
  text,
  ...fields,
});
const from2026 = timeline('recurring', 'năm 2026 và các năm tiếp theo', { fromYear: 2026 });
const draftDecree = timeline('dependent', 'theo tiến độ dự thảo Nghị định', { dependsOn: 'dự thảo Nghị định' });

const task = (number: string, title: string, line: number, fields: Partial<ParsedTask>): ParsedTask => ({
  number,
  parent: number.includes('.') ? number.split('.')[0] : null,
  title,
  content: '',
  lead: [],
  implementers: [],
  coordinators: [],
  timeline: null,
  deliverables: [],
  legalRefs: [],
  line,
  ...fields,
});
const decree = (letter: string, title: string, line: number, lead = congAn) =>
  task(`4.${letter}`, title, line, { lead: [lead], coordinators: threeGroups, timeline: draftDecree });

describe('the Sơn La plan', () => {
  it('has no number or date yet: it is the annex of a decision still to be signed', () => {
    expect({
      province: plan.province,
      number: plan.number,
      title: plan.title,
      issuer: plan.issuer,
      issuerAgencyId: plan.issuerAgencyId,
      place: plan.place,
      issuedOn: plan.issuedOn,
      approvedBy: plan.approvedBy,
    }).toEqual({
      province: 'son-la',
      number: null,
      title: 'Triển khai thi hành Luật An ninh mạng trên địa bàn tỉnh Sơn La',
      issuer: 'Chủ tịch Ủy ban nhân dân tỉnh',
      issuerAgencyId: 'son-la.ubnd-tinh',
      place: null,
      issuedOn: null,
      approvedBy: {
        text: 'Quyết định số /QĐ-UBND ngày tháng năm 2026 của Chủ tịch Ủy ban nhân dân tỉnh',
        documentNumber: null,
        issuedOn: null,
      },
    });
  });

  it('rests on the law it implements, the only document it cites', () => {
    expect(plan.legalBasis).toEqual([
      { text: 'Luật An ninh mạng số 116/2025/QH15', documentNumber: '116/2025/QH15', issuedOn: null },
    ]);
  });

  it('asks for a yearly report before 15 November, or ad hoc, to the provincial police', () => {
    const via = 'Phòng An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao';
    const to = { recipient: 'Công an tỉnh', recipientAgencyId: 'son-la.cong-an-tinh', via, line: 142 };
    expect(plan.reporting).toEqual([
      { frequency: 'yearly', dueMonthDay: '11-15', ...to },
      { frequency: 'adhoc', dueMonthDay: null, ...to },
    ]);
    expect(plan.coordinatorAgencyId).toBe('son-la.cong-an-tinh');
  });

  it('reads every task and sub-task with its agencies, timeline and deliverables', () => {
    expect(plan.tasks).toEqual([
      task('1', 'Tổ chức tuyên truyền, phổ biến, hướng dẫn thi hành Luật trên các phương tiện thông tin đại chúng', 36, {
        lead: [congAn],
        coordinators: [
          party('Sở Tư pháp', 'son-la.so-tu-phap'),
          party('Sở Giáo dục và Đào tạo', 'son-la.so-giao-duc-va-dao-tao'),
          party('Sở Văn hóa, Thể thao và Du lịch', 'son-la.so-van-hoa-the-thao-va-du-lich'),
          party('Báo và Phát thanh, truyền hình Sơn La', 'son-la.bao-va-phat-thanh-truyen-hinh'),
          ubndXaPhuong,
          party(
            'các cơ quan báo chí, phát thanh, truyền hình khác trên địa bàn tỉnh',
            'son-la.group.co-quan-bao-chi',
            true,
          ),
        ],
        timeline: from2026,
        deliverables: [
          'Hội nghị',
          'hội thảo',
          'tọa đàm',
          'phóng sự',
          'tài liệu phổ biến, hướng dẫn, tuyên truyền, nâng cao nhận thức về an ninh mạng',
          'tài liệu truyền thông',
        ],
      }),
      task('2', 'Tổ chức tập huấn chuyên sâu, bồi dưỡng pháp luật, nghiệp vụ An ninh mạng', 46, {
        lead: [congAn],
        coordinators: threeGroups,
        timeline: timeline(
          'gated',
          'năm 2026 và các năm tiếp theo (sau khi Bộ Công an tổ chức tập huấn chuyên sâu cho Công an các đơn vị, địa phương)',
          { fromYear: 2026, gate: 'sau khi Bộ Công an tổ chức tập huấn chuyên sâu cho Công an các đơn vị, địa phương' },
        ),
        deliverables: ['Biên soạn tài liệu', 'hội nghị tập huấn chuyên sâu cho các cơ quan, đơn vị tại địa phương'],
      }),
      task('3', 'Rà soát các văn bản quy phạm pháp luật', 56, {
        content:
          'rà soát các văn bản quy phạm pháp luật có liên quan đến Luật thuộc thẩm quyền quản lý nhà nước được phân công; ' +
          'thực hiện theo thẩm quyền hoặc kiến nghị cấp có thẩm quyền sửa đổi, bổ sung, thay thế, bãi bỏ hoặc ban hành các văn bản ' +
          'quy phạm pháp luật bảo đảm phù hợp với quy định của Luật và các văn bản quy phạm pháp luật quy định chi tiết, ' +
          'hướng dẫn thi hành có liên quan',
        // "Công an tỉnh tiến hành rà soát ...; các sở, ban, ngành; UBND các xã, phường rà soát ...": three leads.
        lead: [
          congAn,
          party('các sở, ban, ngành', 'son-la.group.cac-so-ban-nganh', true),
          party('UBND các xã, phường', 'son-la.group.ubnd-cac-xa-phuong', true),
        ],
        coordinators: [party('các cơ quan, đơn vị có liên quan', 'son-la.group.co-quan-lien-quan', true)],
        timeline: timeline('fixed', 'trước ngày 20/5/2026', { dueBefore: '2026-05-20' }),
      }),
      task(
        '4',
        'Tham gia ý kiến đối với dự thảo các văn bản quy phạm pháp luật quy định chi tiết, hướng dẫn thi hành Luật và văn bản khác có liên quan',
        66,
        {},
      ),
      decree('a', 'Dự thảo Nghị định của Chính phủ quy định chi tiết một số điều của Luật An ninh mạng', 68),
      decree('b', 'Dự thảo Nghị định của Chính phủ quy định về phòng, chống tội phạm mạng và tội phạm sử dụng công nghệ cao', 73),
      decree('c', 'Dự thảo Nghị định của Chính phủ quy định về bảo vệ an ninh mạng đối với hệ thống thông tin', 77),
      decree('d', 'Dự thảo Nghị định của Chính phủ quy định trình tự, thủ tục áp dụng một số biện pháp bảo vệ an ninh mạng', 81),
      decree('đ', 'Dự thảo Nghị định của Chính phủ về hoạt động kinh doanh sản phẩm, dịch vụ an ninh mạng', 85),
      decree('e', 'Dự thảo Nghị định của Chính phủ về hoạt động mật mã dân sự', 89),
      decree(
        'g',
        'Dự thảo Nghị định của Chính phủ quy định chi tiết một số điều của Luật An ninh mạng trong phạm vi quản lý của Bộ Quốc phòng',
        93,
        party('Bộ Chỉ huy Quân sự tỉnh', 'son-la.bo-chi-huy-quan-su-tinh'),
      ),
      decree('h', 'Dự thảo Nghị định của Chính phủ về xử phạt vi phạm hành chính trong lĩnh vực an ninh mạng và bảo vệ dữ liệu cá nhân', 100),
      decree('i', 'Dự thảo Nghị định của Chính phủ về lực lượng bảo vệ an ninh mạng', 108),
      task(
        '5',
        'Tham gia ý kiến dự thảo Quyết định của Thủ tướng Chính phủ ban hành Danh mục Hệ thống thông tin quan trọng về an ninh quốc gia',
        116,
        {
          lead: [congAn],
          coordinators: threeGroups,
          timeline: timeline('dependent', 'theo tiến độ dự thảo Quyết định', { dependsOn: 'dự thảo Quyết định' }),
        },
      ),
      task(
        '6',
        'Tổ chức theo dõi, kiểm tra, đôn đốc việc thi hành Luật và các văn bản quy phạm pháp luật quy định chi tiết, hướng dẫn thi hành',
        124,
        {
          lead: [congAn],
          coordinators: threeGroups,
          timeline: from2026,
          deliverables: ['Kế hoạch thực hiện', 'báo cáo kết quả thực hiện'],
        },
      ),
    ]);
  });

  it('places every line, so nothing is unparsed and no agency is unknown', () => {
    expect(plan.unparsed).toEqual([]);
    expect(plan.problems).toEqual([]);
  });

  it('keeps the purpose, requirements, funding and organization sections as text', () => {
    expect(plan.purpose?.split('\n').map((p) => p.slice(0, 3))).toEqual(['a) ', 'b) ', 'c) ', 'd) ']);
    expect(plan.requirements?.split('\n').map((p) => p.slice(0, 3))).toEqual(['a) ', 'b) ', 'c) ', 'd) ', 'đ) ']);
    expect(plan.funding?.split('\n')).toHaveLength(2);
    expect(plan.funding).toMatch(/^1\. Kinh phí thực hiện Kế hoạch do ngân sách nhà nước đảm bảo/);
    expect(plan.organization?.split('\n')).toHaveLength(3);
    // Emphasis markers of the source ("**trước ngày 15 tháng 11**") are not part of the text.
    expect(plan.organization).toContain('định kỳ hằng năm trước ngày 15 tháng 11 (hoặc đột xuất khi có yêu cầu)');
    expect(plan.recipients).toEqual([]);
    expect(plan.signer).toBeNull();
    expect(plan.footnotes).toEqual([]);
  });
});
