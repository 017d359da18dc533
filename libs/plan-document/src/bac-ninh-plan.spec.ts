import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParsedTask, ParsedTimeline } from './plan-document';
import { parsePlan } from './plan-parser';

// Every expectation below is written from reading test/fixtures/plans/bac-ninh-plan.txt, not from output.
const text = readFileSync(join(__dirname, '../../../test/fixtures/plans/bac-ninh-plan.txt'), 'utf8');
const plan = parsePlan(text);

const party = (name: string, agencyId: string, group = false) => ({ name, agencyId, group });
const congAn = party('Công an tỉnh', 'bac-ninh.cong-an-tinh');
const soTuPhap = party('Sở Tư pháp', 'bac-ninh.so-tu-phap');
const chiHuyQuanSu = party('Bộ Chỉ huy quân sự tỉnh', 'bac-ninh.bo-chi-huy-quan-su-tinh');
const ubndXaPhuong = party('Ủy ban nhân dân các xã, phường', 'bac-ninh.group.ubnd-cac-xa-phuong', true);
const coQuanLienQuan = party('Các cơ quan có liên quan', 'bac-ninh.group.co-quan-lien-quan', true);

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
const from2026 = timeline('recurring', 'Năm 2026 và những năm tiếp theo', { fromYear: 2026 });
const before1July = timeline('fixed', 'Trước ngày 01 tháng 7 năm 2026', { dueBefore: '2026-07-01' });

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
const decree = (letter: string, title: string, line: number, content: string, legalRefs: string[], lead = congAn) =>
  task(`4.${letter}`, `Nghiên cứu, tham gia ý kiến dự thảo Nghị định của Chính phủ ${title}`, line, {
    content,
    lead: [lead],
    coordinators: [coQuanLienQuan],
    timeline: before1July,
    legalRefs,
  });

describe('the Bắc Ninh plan', () => {
  it('has a blank number and day, a place, and the chairman as issuer', () => {
    expect({
      province: plan.province,
      number: plan.number,
      title: plan.title,
      issuer: plan.issuer,
      issuerAgencyId: plan.issuerAgencyId,
      place: plan.place,
      issuedOn: plan.issuedOn,
      approvedBy: plan.approvedBy,
      signer: plan.signer,
    }).toEqual({
      province: 'bac-ninh',
      number: null,
      title: 'Triển khai thi hành Luật An ninh mạng trên địa bàn tỉnh Bắc Ninh',
      issuer: 'Chủ tịch Ủy ban nhân dân tỉnh',
      issuerAgencyId: 'bac-ninh.ubnd-tinh',
      place: 'Bắc Ninh',
      issuedOn: null,
      approvedBy: null,
      signer: { title: 'CHỦ TỊCH', name: 'Phạm Hoàng Sơn' },
    });
  });

  it('implements the Prime Minister’s decision 437/QĐ-TTg', () => {
    expect(plan.legalBasis).toEqual([
      {
        text: 'Quyết định số 437/QĐ-TTg ngày 16/3/2026 của Thủ tướng Chính phủ về ban hành Kế hoạch triển khai thi hành Luật An ninh mạng',
        documentNumber: '437/QĐ-TTg',
        issuedOn: '2026-03-16',
      },
    ]);
  });

  it('asks for a yearly report before 15 January, or ad hoc, to the provincial committee through the police', () => {
    const to = { recipient: 'Ủy ban nhân dân tỉnh', recipientAgencyId: 'bac-ninh.ubnd-tinh', via: 'Công an tỉnh', line: 161 };
    expect(plan.reporting).toEqual([
      { frequency: 'yearly', dueMonthDay: '01-15', ...to },
      { frequency: 'adhoc', dueMonthDay: null, ...to },
    ]);
    expect(plan.coordinatorAgencyId).toBe('bac-ninh.cong-an-tinh');
  });

  it('reads every task and sub-task with its agencies, timeline, content and legal references', () => {
    expect(plan.tasks).toEqual([
      task('1', 'Tổ chức tuyên truyền, phổ biến, hướng dẫn thi hành Luật trên các phương tiện thông tin đại chúng', 29, {
        implementers: [
          congAn,
          soTuPhap,
          party('Sở Giáo dục và Đào tạo', 'bac-ninh.so-giao-duc-va-dao-tao'),
          party('Sở Văn hóa, Thể thao và Du lịch', 'bac-ninh.so-van-hoa-the-thao-va-du-lich'),
          party('Báo và Phát thanh truyền hình Bắc Ninh', 'bac-ninh.bao-va-phat-thanh-truyen-hinh'),
        ],
        coordinators: [party('Các sở, ban, ngành tỉnh', 'bac-ninh.group.cac-so-ban-nganh', true), ubndXaPhuong],
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
      task('2', 'Tổ chức tập huấn chuyên sâu, bồi dưỡng pháp luật, nghiệp vụ an ninh mạng', 39, {
        lead: [congAn],
        coordinators: [party('Các sở, ban, ngành tỉnh có liên quan', 'bac-ninh.group.cac-so-ban-nganh', true), ubndXaPhuong],
        timeline: from2026,
        deliverables: ['Biên soạn tài liệu', 'hội nghị tập huấn chuyên sâu cho các cơ quan, đơn vị, địa phương'],
      }),
      task(
        '3',
        'Tổ chức rà soát toàn bộ các văn bản pháp luật có liên quan đến Luật, các văn bản quy định chi tiết một số điều của Luật ' +
          'để kiến nghị cấp có thẩm quyền sửa đổi, bổ sung, thay thế, bãi bỏ cho phù hợp; tích cực tham gia đóng góp ý kiến vào ' +
          'dự thảo các văn bản quy phạm pháp luật của Chính phủ, Bộ, ngành Trung ương (khi có yêu cầu)',
        49,
        {
          // "Công an tỉnh phối hợp các sở, ban, ngành tỉnh, Ủy ban nhân dân các xã, phường rà soát ...".
          implementers: [congAn],
          coordinators: [party('các sở, ban, ngành tỉnh', 'bac-ninh.group.cac-so-ban-nganh', true), ubndXaPhuong],
          timeline: from2026,
        },
      ),
      task(
        '4',
        'Xây dựng các văn bản quy phạm pháp luật quy định chi tiết, hướng dẫn thi hành Luật và văn bản khác có liên quan; ' +
          'tổ chức triển khai, thực hiện khi văn bản được ban hành, có hiệu lực',
        55,
        {},
      ),
      decree(
        'a',
        'quy định chi tiết một số điều của Luật An ninh mạng',
        57,
        'bao gồm quy định chi tiết điểm a, b, c, d, đ, g và khoản 1 Điều 5; khoản 4 Điều 25; khoản 3 Điều 26 và khoản 5 Điều 34 Luật An ninh mạng',
        [
          'điểm a khoản 1 Điều 5',
          'điểm b khoản 1 Điều 5',
          'điểm c khoản 1 Điều 5',
          'điểm d khoản 1 Điều 5',
          'điểm đ khoản 1 Điều 5',
          'điểm g khoản 1 Điều 5',
          'khoản 4 Điều 25',
          'khoản 3 Điều 26',
          'khoản 5 Điều 34',
        ],
      ),
      decree(
        'b',
        'quy định về phòng, chống tội phạm mạng và tội phạm sử dụng công nghệ cao',
        67,
        'bao gồm quy định chi tiết khoản 5 Điều 14 Luật An ninh mạng',
        ['khoản 5 Điều 14'],
      ),
      decree(
        'c',
        'quy định về bảo vệ an ninh mạng đối với hệ thống thông tin',
        77,
        'bao gồm quy định chi tiết khoản 2 Điều 8, khoản 5 Điều 9, khoản 6 Điều 10 và khoản 5 Điều 12 Luật An ninh mạng',
        ['khoản 2 Điều 8', 'khoản 5 Điều 9', 'khoản 6 Điều 10', 'khoản 5 Điều 12'],
      ),
      decree(
        'd',
        'quy định chi tiết trình tự, thủ tục áp dụng một số biện pháp bảo vệ an ninh mạng',
        85,
        'bao gồm quy định chi tiết điểm e, h, i, k và m khoản 1 Điều 5 Luật An ninh mạng',
        ['điểm e khoản 1 Điều 5', 'điểm h khoản 1 Điều 5', 'điểm i khoản 1 Điều 5', 'điểm k khoản 1 Điều 5', 'điểm m khoản 1 Điều 5'],
      ),
      decree(
        'đ',
        'về hoạt động kinh doanh sản phẩm, dịch vụ an ninh mạng',
        93,
        'bao gồm quy định chi tiết khoản 3 Điều 28 và Điều 29 Luật An ninh mạng',
        ['khoản 3 Điều 28', 'Điều 29'],
      ),
      decree(
        'e',
        'về hoạt động mật mã dân sự',
        101,
        'bao gồm quy định chi tiết điểm a khoản 1, điểm c khoản 2 và khoản 3 Điều 28, khoản 3 Điều 29 Luật An ninh mạng',
        ['điểm a khoản 1 Điều 28', 'điểm c khoản 2 Điều 28', 'khoản 3 Điều 28', 'khoản 3 Điều 29'],
        chiHuyQuanSu,
      ),
      decree(
        'g',
        'quy định chi tiết một số điều của Luật An ninh mạng trong phạm vi quản lý của Bộ Quốc phòng',
        109,
        'bao gồm quy định về ngăn chặn xung đột thông tin trên không gian mạng tại khoản 4 Điều 22 và quy định các nội dung ' +
          'trong phạm vi quản lý của Bộ Quốc phòng tại Điều 5, Điều 8, Điều 9, Điều 10, Điều 12, Điều 14, Điều 25, Điều 26, ' +
          'Điều 28, Điều 29, Điều 30, Điều 34 Luật An ninh mạng',
        ['khoản 4 Điều 22', ...[5, 8, 9, 10, 12, 14, 25, 26, 28, 29, 30, 34].map((n) => `Điều ${n}`)],
        chiHuyQuanSu,
      ),
      decree(
        'h',
        'về xử phạt vi phạm hành chính trong lĩnh vực an ninh mạng và bảo vệ dữ liệu cá nhân',
        117,
        'bao gồm quy định chi tiết các hành vi vi phạm hành chính, hình thức, mức xử phạt, biện pháp khắc phục hậu quả và ' +
          'thẩm quyền xử phạt trong lĩnh vực an ninh mạng và bảo vệ dữ liệu cá nhân',
        [],
      ),
      decree(
        'i',
        'về lực lượng bảo vệ an ninh mạng',
        127,
        'bao gồm quy định chi tiết khoản 2 Điều 30 Luật An ninh mạng',
        ['khoản 2 Điều 30'],
      ),
      task(
        '5',
        'Phối hợp tham gia góp ý xây dựng Quyết định của Thủ tướng Chính phủ ban hành Danh mục Hệ thống thông tin quan trọng ' +
          'về an ninh quốc gia; tổ chức triển khai, thực hiện khi văn bản được ban hành, có hiệu lực',
        137,
        {
          lead: [congAn],
          coordinators: [coQuanLienQuan],
          timeline: timeline('fixed', 'Trước ngày 31 tháng 12 năm 2026', { dueBefore: '2026-12-31' }),
        },
      ),
      task(
        '6',
        'Tổ chức theo dõi, kiểm tra việc thi hành Luật và các văn bản quy phạm pháp luật quy định chi tiết, hướng dẫn thi hành ' +
          'và báo cáo kết quả thi hành Luật',
        145,
        {
          implementers: [congAn, soTuPhap],
          coordinators: [
            party('Các sở, ban, ngành tỉnh', 'bac-ninh.group.cac-so-ban-nganh', true),
            ubndXaPhuong,
            party('các cơ quan, tổ chức có liên quan', 'bac-ninh.group.co-quan-lien-quan', true),
          ],
          // Labelled "Thời gian hoàn thành" rather than "Thời gian thực hiện".
          timeline: timeline('recurring', 'Năm 2026 và các năm tiếp theo', { fromYear: 2026 }),
        },
      ),
    ]);
  });

  it('reads the distribution list, the signature and the footnote, so nothing is unparsed', () => {
    expect(plan.recipients).toEqual([
      'Văn phòng Chính phủ',
      'Bộ Công an',
      'Chủ tịch và các PCT UBND tỉnh',
      'Các sở, ban, ngành tỉnh',
      'UBND các xã, phường',
      'VP UBND tỉnh: CVP, TH',
      'Lưu: VT, NC',
    ]);
    expect(plan.footnotes).toEqual([
      { mark: '¹', text: 'Đầu mối liên hệ: đ/c Trần Thị Ánh Hằng, số điện thoại: 0399.306.333', line: 181 },
    ]);
    expect(plan.unparsed).toEqual([]);
    expect(plan.problems).toEqual([]);
  });

  it('joins a paragraph broken by a blank line and drops the footnote mark from the text', () => {
    expect(plan.organization?.split('\n')[0]).toContain('các cơ quan, tổ chức có liên quan có trách nhiệm xây dựng kế hoạch');
    expect(plan.organization).toContain('(qua Phòng An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao)');
    expect(plan.purpose?.split('\n')).toHaveLength(2);
    expect(plan.requirements?.split('\n')).toHaveLength(2);
    expect(plan.funding).toMatch(/^Hàng năm, các cơ quan, đơn vị cấp tỉnh/);
  });
});
