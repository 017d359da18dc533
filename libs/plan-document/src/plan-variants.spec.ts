import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StandardNamesResolver, firstMatch } from './agency-resolver';
import { parsePlan } from './plan-parser';

const seed = (name: string) => readFileSync(join(__dirname, `../../../test/fixtures/plans/${name}`), 'utf8');
const party = (name: string, agencyId: string | null, group = false) => ({ name, agencyId, group });

/** Another province's plan: pipe-separated header, other labels, a table of tasks in an appendix. */
const LAO_CAI = `| ỦY BAN NHÂN DÂN TỈNH LÀO CAI | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |
| | Độc lập - Tự do - Hạnh phúc |
| Số: 215/KH-UBND | Lào Cai, ngày 20 tháng 4 năm 2026 |

KẾ HOẠCH
Triển khai thi hành Luật An ninh mạng trên địa bàn tỉnh Lào Cai

Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;
Căn cứ Quyết định số 437/QĐ-TTg ngày 16/3/2026 của Thủ tướng Chính phủ;
Ủy ban nhân dân tỉnh ban hành Kế hoạch triển khai như sau:

I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Triển khai kịp thời.
2. Yêu cầu
Bảo đảm hiệu quả.

II. NHIỆM VỤ CỤ THỂ
1. Tuyên truyền Luật
- Đơn vị chủ trì: Sở Văn hoá, Thể thao và Du lịch
- Đơn vị phối hợp: Sở Tư pháp, Sở Khoa học và Công nghệ và UBND các xã, phường
- Thời hạn hoàn thành: Quý III/2026
- Kết quả: Báo cáo kết quả
2. Tập huấn
- Cơ quan, đơn vị chủ trì: Công an tỉnh chủ trì, phối hợp với Sở Nội vụ
- Thời hạn hoàn thành: Tháng 9 năm 2026
3. Rà soát
- Đơn vị chủ trì: Trung tâm Lưu trữ và Thông tin tỉnh
- Thời hạn hoàn thành: trước ngày 31/2/2026
5. Thanh tra
- Đơn vị thực hiện: Thanh tra tỉnh Lào Cai
- Thời hạn hoàn thành: Thường xuyên

III. KINH PHÍ
Ngân sách tỉnh.

IV. TỔ CHỨC THỰC HIỆN
Định kỳ 6 tháng (trước ngày 15/6) và hằng năm (trước ngày 15/12) các đơn vị báo cáo kết quả về Sở Tư pháp.

V. ĐIỀU KHOẢN KHÁC
Một dòng không ai đọc.

PHỤ LỤC
DANH MỤC NHIỆM VỤ
| STT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian | Sản phẩm |
|---|---|---|---|---|---|
| I | NHÓM NHIỆM VỤ XÂY DỰNG | | | | |
| 1 | Xây dựng cơ sở dữ liệu | Sở Khoa học và Công nghệ | Công an tỉnh; Sở Tài chính | Tháng 12/2026 | Cơ sở dữ liệu, báo cáo |
| a | Thu thập dữ liệu | Sở Khoa học và Công nghệ | | trước ngày 01/10/2026 | |
| | dòng lạc | | | | |
`;

const emptyTimeline = { dueBefore: null, dueMonthDay: null, fromYear: null, gate: null, dependsOn: null };

describe('plans written differently from the seeds', () => {
  const plan = parsePlan(LAO_CAI);

  it('reads a header laid out as a table row with pipes', () => {
    expect([plan.province, plan.number, plan.issuer, plan.issuerAgencyId, plan.place, plan.issuedOn]).toEqual([
      'lao-cai',
      '215/KH-UBND',
      'ỦY BAN NHÂN DÂN TỈNH LÀO CAI',
      'lao-cai.ubnd-tinh',
      'Lào Cai',
      '2026-04-20',
    ]);
    expect(plan.legalBasis).toEqual([
      { text: 'Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025', documentNumber: null, issuedOn: '2025-06-16' },
      { text: 'Quyết định số 437/QĐ-TTg ngày 16/3/2026 của Thủ tướng Chính phủ', documentNumber: '437/QĐ-TTg', issuedOn: '2026-03-16' },
    ]);
  });

  it('understands "Đơn vị chủ trì", "Thời hạn hoàn thành", "Kết quả", quarters and months', () => {
    const [first, second] = plan.tasks;
    expect(first).toMatchObject({
      number: '1',
      lead: [party('Sở Văn hoá, Thể thao và Du lịch', 'lao-cai.so-van-hoa-the-thao-va-du-lich')],
      coordinators: [
        party('Sở Tư pháp', 'lao-cai.so-tu-phap'),
        party('Sở Khoa học và Công nghệ', 'lao-cai.so-khoa-hoc-va-cong-nghe'),
        party('UBND các xã, phường', 'lao-cai.group.ubnd-cac-xa-phuong', true),
      ],
      // A quarter is due by the day after it ends.
      timeline: { ...emptyTimeline, kind: 'fixed', dueBefore: '2026-10-01', text: 'Quý III/2026' },
      deliverables: ['Báo cáo kết quả'],
    });
    expect(second).toMatchObject({
      lead: [party('Công an tỉnh', 'lao-cai.cong-an-tinh')],
      coordinators: [party('Sở Nội vụ', 'lao-cai.so-noi-vu')],
      timeline: { ...emptyTimeline, kind: 'fixed', dueBefore: '2026-10-01', text: 'Tháng 9 năm 2026' },
    });
    expect(plan.tasks[3]).toMatchObject({
      number: '5',
      implementers: [party('Thanh tra tỉnh Lào Cai', 'lao-cai.thanh-tra-tinh')],
      timeline: { ...emptyTimeline, kind: 'ongoing', text: 'Thường xuyên' },
    });
  });

  it('reads a table of tasks in an appendix, Roman group rows included', () => {
    expect(plan.tasks.slice(4)).toEqual([
      {
        number: 'I', parent: null, title: 'NHÓM NHIỆM VỤ XÂY DỰNG', content: '', lead: [], implementers: [], coordinators: [],
        timeline: null, deliverables: [], legalRefs: [], line: 47,
      },
      {
        number: 'I.1',
        parent: 'I',
        title: 'Xây dựng cơ sở dữ liệu',
        content: '',
        lead: [party('Sở Khoa học và Công nghệ', 'lao-cai.so-khoa-hoc-va-cong-nghe')],
        implementers: [],
        coordinators: [party('Công an tỉnh', 'lao-cai.cong-an-tinh'), party('Sở Tài chính', 'lao-cai.so-tai-chinh')],
        timeline: { ...emptyTimeline, kind: 'fixed', dueBefore: '2027-01-01', text: 'Tháng 12/2026' },
        deliverables: ['Cơ sở dữ liệu', 'báo cáo'],
        legalRefs: [],
        line: 48,
      },
      {
        number: 'I.1.a',
        parent: 'I.1',
        title: 'Thu thập dữ liệu',
        content: '',
        lead: [party('Sở Khoa học và Công nghệ', 'lao-cai.so-khoa-hoc-va-cong-nghe')],
        implementers: [],
        coordinators: [],
        timeline: { ...emptyTimeline, kind: 'fixed', dueBefore: '2026-10-01', text: 'trước ngày 01/10/2026' },
        deliverables: [],
        legalRefs: [],
        line: 49,
      },
    ]);
  });

  it('reports an unreal date, an unknown agency, a gap in numbering and every line it could not place', () => {
    expect(plan.tasks[2]).toMatchObject({
      number: '3',
      lead: [party('Trung tâm Lưu trữ và Thông tin tỉnh', null)],
      timeline: { ...emptyTimeline, kind: 'unspecified', text: 'trước ngày 31/2/2026' },
    });
    expect(plan.problems).toEqual([
      { code: 'AGENCY_UNKNOWN', line: 28, message: 'Task 3: No agency id for "Trung tâm Lưu trữ và Thông tin tỉnh"' },
      { code: 'DATE_INVALID', line: 29, message: 'Task 3: "ngày 31/2/2026" is not a real date' },
      { code: 'NUMBERING_GAP', line: 30, message: 'Task 5 follows 3: is 4 missing?' },
    ]);
    expect(plan.unparsed).toEqual([
      { line: 29, text: '- Thời hạn hoàn thành: trước ngày 31/2/2026', reason: '"ngày 31/2/2026" is not a real date' },
      { line: 41, text: 'Một dòng không ai đọc.', reason: 'in section "V. ĐIỀU KHOẢN KHÁC", which the importer does not read' },
      { line: 50, text: '| | dòng lạc | | | | |', reason: 'a table row without a number' },
    ]);
  });

  it('reads half-yearly and yearly reporting with their days', () => {
    const to = { recipient: 'Sở Tư pháp', recipientAgencyId: 'lao-cai.so-tu-phap', via: null, line: 38 };
    expect(plan.reporting).toEqual([
      { frequency: 'semiannual', dueMonthDay: '06-15', ...to },
      { frequency: 'yearly', dueMonthDay: '12-15', ...to },
    ]);
  });

  it('reads a header whose two columns are separated by tabs or spaces, and a title on the KẾ HOẠCH line', () => {
    const plan = parsePlan(
      [
        'ỦY BAN NHÂN DÂN\t\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
        'TỈNH BẮC NINH          Độc lập - Tự do - Hạnh phúc',
        'Số: 215/KH-UBND\tBắc Ninh, ngày 20 tháng 4 năm 2026',
        'KẾ HOẠCH Triển khai thi hành Luật An ninh mạng',
        '',
        'II. NỘI DUNG',
        '1. Việc một',
        '- Cơ quan chủ trì: Công an tỉnh',
        'PHỤ LỤC',
        'DANH MỤC NHIỆM VỤ',
        '(Kèm theo Kế hoạch số 215/KH-UBND)',
        '1. Một việc ngoài bảng',
      ].join('\n'),
    );
    expect([plan.province, plan.number, plan.issuer, plan.issuerAgencyId, plan.place, plan.issuedOn, plan.title]).toEqual([
      'bac-ninh',
      '215/KH-UBND',
      'ỦY BAN NHÂN DÂN TỈNH BẮC NINH',
      'bac-ninh.ubnd-tinh',
      'Bắc Ninh',
      '2026-04-20',
      'Triển khai thi hành Luật An ninh mạng',
    ]);
    expect(plan.tasks.map((t) => [t.number, t.title, t.lead[0]?.agencyId])).toEqual([['1', 'Việc một', 'bac-ninh.cong-an-tinh']]);
    expect(plan.unparsed).toEqual([{ line: 12, text: '1. Một việc ngoài bảng', reason: 'in an appendix, outside a table of tasks' }]);
  });

  it('reports lines before the first task and a header it does not know', () => {
    const odd = parsePlan(
      'Số: 7/KH-UBND\nBản nháp số 3\nKẾ HOẠCH\nThử nghiệm tỉnh Sơn La\n\nII. NỘI DUNG\nCác nhiệm vụ như sau:\n1. Một việc\n- Cơ quan chủ trì: Công an tỉnh\n',
    );
    expect(odd.unparsed).toEqual([
      { line: 2, text: 'Bản nháp số 3', reason: 'not a header line the importer knows' },
      { line: 7, text: 'Các nhiệm vụ như sau:', reason: 'text before the first task' },
    ]);
    expect(odd.tasks.map((t) => [t.number, t.lead[0]?.agencyId])).toEqual([['1', 'son-la.cong-an-tinh']]);
  });
});

describe('the same plan typed another way', () => {
  it('parses decomposed Unicode (NFD) exactly like composed (NFC)', () => {
    for (const name of ['son-la-plan.txt', 'bac-ninh-plan.txt']) {
      const text = seed(name);
      expect(text.normalize('NFD')).not.toEqual(text);
      expect(parsePlan(text.normalize('NFD'))).toEqual(parsePlan(text));
    }
  });

  it('gives the same agencies when tone marks sit on the other vowel (hoá, Uỷ) and lines end in CRLF', () => {
    const text = seed('son-la-plan.txt');
    const moved = text
      .replace(/hóa/g, 'hoá')
      .replace(/Ủy/g, 'Uỷ')
      .replace(/tọa/g, 'toạ')
      .replace(/\n/g, '\r\n');
    expect(moved).not.toEqual(text);
    const original = parsePlan(text);
    const retyped = parsePlan(moved);
    const ids = (p: typeof original) =>
      p.tasks.map((t) => [t.number, ...[...t.lead, ...t.implementers, ...t.coordinators].map((x) => x.agencyId)]);
    expect(ids(retyped)).toEqual(ids(original));
    expect(retyped.tasks[0].coordinators[2]).toEqual(party('Sở Văn hoá, Thể thao và Du lịch', 'son-la.so-van-hoa-the-thao-va-du-lich'));
    expect(retyped.tasks[0].coordinators[4]).toEqual(party('Uỷ ban nhân dân các xã, phường', 'son-la.group.ubnd-cac-xa-phuong', true));
    expect(retyped.tasks.map((t) => t.timeline)).toEqual(original.tasks.map((t) => t.timeline));
    expect(retyped.unparsed).toEqual([]);
    expect(retyped.problems).toEqual([]);
  });

  it('asks the directory first and falls back to the standard names', () => {
    const directory = {
      resolve: (name: string) =>
        name === 'Sở Tư pháp' ? { agencyId: 'son-la.so-tu-phap-from-directory', group: false } : null,
    };
    const ambiguous = { resolve: (name: string) => (name === 'Công an tỉnh' ? { ambiguous: ['a', 'b'] } : null) };
    const plan = parsePlan(seed('son-la-plan.txt'), {
      resolverFor: (province) => firstMatch(directory, ambiguous, new StandardNamesResolver(province)),
    });
    expect(plan.tasks[0].coordinators[0].agencyId).toBe('son-la.so-tu-phap-from-directory');
    expect(plan.tasks[0].lead).toEqual([party('Công an tỉnh', null)]);
    expect(plan.problems[0]).toEqual({ code: 'AGENCY_AMBIGUOUS', line: 38, message: 'Task 1: "Công an tỉnh" could be any of a, b' });
  });
});
