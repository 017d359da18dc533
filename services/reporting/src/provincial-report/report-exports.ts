import { BarChart, Chart, chartPng, LineChart, TASK_CATEGORIES } from '@thihanh/charts';
import { CaseFigures } from '@thihanh/contracts';
import { Block, OfficialDocument } from '@thihanh/official-document';
import { CompiledReport } from './compile-report';

const REPORT_STATUS: Record<string, string> = {
  missing: 'Chưa báo cáo',
  draft: 'Chưa báo cáo',
  submitted: 'Đã nộp, chờ xem xét',
  returned: 'Trả lại, chờ nộp lại',
  accepted: 'Đã chấp nhận',
};

const CATEGORY_KEYS = TASK_CATEGORIES.map((c) => c.key);
const count = (f: CaseFigures) => [f.total, ...CATEGORY_KEYS.map((k) => f[k]), f.waiting].map(String);

const csvCell = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** By agency, one row each and a total, for a spreadsheet: UTF-8 with a byte-order mark, so Excel reads Vietnamese right. */
export function reportCsv(report: CompiledReport): string {
  const header = ['STT', 'Mã cơ quan', 'Cơ quan', 'Tổng số', ...TASK_CATEGORIES.map((c) => c.label), 'Chưa thể thực hiện', 'Báo cáo', 'Nộp muộn'];
  const rows = report.byAgency.map((a, i) => [String(i + 1), a.agencyId, a.name, ...count(a.figures), REPORT_STATUS[a.report.status] ?? a.report.status, a.report.late ? 'Có' : '']);
  rows.push(['', '', 'Tổng cộng', ...count(report.figures), '', '']);
  return `\uFEFF${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** The charts people would rather look at: completion by task and by agency, and the on-time trend. */
export function reportCharts(report: CompiledReport): { byTask: BarChart; byAgency: BarChart; trend: LineChart } {
  const stacked = (title: string, items: { label: string; figures: CaseFigures }[]): BarChart => ({
    kind: 'bar',
    title,
    categories: items.map((i) => i.label),
    series: TASK_CATEGORIES.map((c) => ({ name: c.label, color: c.color, values: items.map((i) => i.figures[c.key]) })),
    stacked: true,
    horizontal: true,
  });
  return {
    byTask: stacked('Tiến độ theo nhiệm vụ (số hồ sơ)', report.byTask.map((t) => ({ label: `${t.taskNumber}. ${t.title}`, figures: t.figures }))),
    byAgency: stacked('Tiến độ theo cơ quan (số hồ sơ)', report.byAgency.map((a) => ({ label: a.name, figures: a.figures }))),
    trend: {
      kind: 'line',
      title: 'Tỷ lệ hoàn thành đúng hạn trong năm (%)',
      labels: report.trend.map((t) => `${Number(t.month.slice(5))}/${t.month.slice(0, 4)}`),
      series: [
        { name: 'Hoàn thành đúng hạn', values: report.trend.map((t) => (t.due ? t.percentDoneOnTime : null)) },
        { name: 'Quá hạn chưa hoàn thành', values: report.trend.map((t) => (t.due ? t.percentOverdue : null)) },
      ],
      unit: '%',
      min: 0,
      max: 100,
    },
  };
}

export interface Letterhead {
  parentAuthority: string | null;
  issuer: string;
  symbol: string | null;
  place: string;
  recipients: string[];
  signer: { authority: string | null; title: string; name: string };
}

const picture = (chart: Chart, caption: string, widthMm: number): Block => {
  const { png, width, height } = chartPng(chart, { width: 900 });
  return { kind: 'image', png, widthMm, heightMm: (widthMm * height) / width, description: chart.title, caption };
};

/**
 * The province's report as a document in the layout of Decree 30/2020/NĐ-CP (BÁO CÁO): results with
 * the four categories, by task with a chart, the consultations on drafts, who reported, difficulties
 * and proposals from the accepted reports; the table by agency as an appendix.
 */
export function reportDocument(report: CompiledReport, letterhead: Letterhead, issue: { number: string | null; date: string | null }): OfficialDocument {
  const f = report.figures;
  const charts = reportCharts(report);
  const names = (ids: string[]) => report.byAgency.filter((a) => ids.includes(a.agencyId)).map((a) => a.name);
  const narrative = (part: keyof CompiledReport['narrative'], none: string): Block =>
    report.narrative[part].length ? { kind: 'list', items: report.narrative[part].map((n) => `${n.name}: ${n.text}`) } : { kind: 'paragraph', text: none };
  const planName = `Kế hoạch${report.plan.number ? ` số ${report.plan.number}` : ''} ${report.plan.title.charAt(0).toLowerCase()}${report.plan.title.slice(1)}`;
  const body: Block[] = [
    { kind: 'paragraph', text: `Thực hiện ${planName}, kỳ báo cáo từ ngày ${vn(report.period.from)} đến ngày ${vn(report.period.to)} (số liệu tính đến ngày ${vn(report.asOf)}), kết quả như sau:` },
    { kind: 'heading', text: 'I. KẾT QUẢ THỰC HIỆN', level: 1 },
    {
      kind: 'paragraph',
      text:
        `Tổng số ${f.total} nhiệm vụ của các cơ quan, đơn vị, địa phương: hoàn thành đúng hạn ${f.doneOnTime}; hoàn thành quá hạn ${f.doneLate}; ` +
        `đang thực hiện trong hạn ${f.openOnTime} (trong đó ${f.waiting} chưa đến thời điểm thực hiện); đang thực hiện quá hạn ${f.openOverdue}. ` +
        `Tỷ lệ hoàn thành ${f.percentDone}%, hoàn thành đúng hạn ${f.percentDoneOnTime}%.`,
    },
    {
      kind: 'table',
      caption: 'Kết quả theo nhiệm vụ',
      header: ['Mục', 'Nhiệm vụ', 'Tổng số', 'Xong đúng hạn', 'Xong quá hạn', 'Đang làm trong hạn', 'Đang làm quá hạn'],
      widths: [8, 37, 9, 11, 11, 12, 12],
      rows: report.byTask.map((t) => [t.taskNumber, t.title, ...count(t.figures).slice(0, 5)]),
    },
    picture(charts.byTask, 'Biểu đồ 1. Tiến độ theo nhiệm vụ', 160),
    picture(charts.trend, 'Biểu đồ 2. Tỷ lệ hoàn thành đúng hạn theo tháng', 150),
    { kind: 'heading', text: 'II. THAM GIA Ý KIẾN CÁC DỰ THẢO VĂN BẢN', level: 1 },
    report.consultations.length
      ? {
          kind: 'table',
          header: ['Mục', 'Dự thảo', 'Cơ quan chủ trì', 'Cơ quan đã trả lời', 'Số ý kiến', 'Văn bản góp ý'],
          widths: [8, 34, 17, 13, 10, 18],
          rows: report.consultations.map((c) => [
            c.taskNumber ?? '', `Dự thảo ${c.draftTitle}`, c.leadName, `${c.answered}/${c.coordinators}`, String(c.comments),
            c.responseNumber ? `${c.responseNumber}, ngày ${vn(c.responseDate!)}` : 'Chưa gửi',
          ]),
        }
      : { kind: 'paragraph', text: 'Trong kỳ không có dự thảo văn bản được đề nghị tham gia ý kiến.' },
    { kind: 'heading', text: 'III. TÌNH HÌNH BÁO CÁO CỦA CÁC CƠ QUAN, ĐƠN VỊ', level: 1 },
    {
      kind: 'paragraph',
      text:
        `${report.reporting.asked} cơ quan, đơn vị được đề nghị báo cáo; ${report.reporting.submitted} đã báo cáo (${report.reporting.accepted} báo cáo đạt yêu cầu), ` +
        `${report.reporting.late.length} báo cáo muộn, ${report.reporting.missing.length} chưa báo cáo.`,
    },
    ...(report.reporting.late.length ? [{ kind: 'paragraph' as const, text: `Báo cáo muộn: ${names(report.reporting.late).join('; ')}.` }] : []),
    ...(report.reporting.missing.length ? [{ kind: 'paragraph' as const, text: `Chưa báo cáo: ${names(report.reporting.missing).join('; ')}.` }] : []),
    { kind: 'heading', text: 'IV. KHÓ KHĂN, VƯỚNG MẮC', level: 1 },
    narrative('difficulties', 'Các cơ quan, đơn vị không báo cáo khó khăn, vướng mắc.'),
    { kind: 'heading', text: 'V. ĐỀ XUẤT, KIẾN NGHỊ', level: 1 },
    narrative('proposals', 'Không có đề xuất, kiến nghị.'),
    { kind: 'heading', text: 'PHỤ LỤC. KẾT QUẢ THEO CƠ QUAN, ĐƠN VỊ', level: 1 },
    {
      kind: 'table',
      header: ['STT', 'Cơ quan, đơn vị', 'Tổng số', 'Xong đúng hạn', 'Xong quá hạn', 'Đang làm trong hạn', 'Đang làm quá hạn', 'Báo cáo'],
      widths: [6, 28, 8, 10, 10, 11, 11, 16],
      rows: report.byAgency.map((a, i) => [String(i + 1), a.name, ...count(a.figures).slice(0, 5), `${REPORT_STATUS[a.report.status] ?? a.report.status}${a.report.late ? ' (muộn)' : ''}`]),
    },
  ];
  return {
    kind: 'titled',
    typeName: 'BÁO CÁO',
    parentAuthority: letterhead.parentAuthority,
    issuer: letterhead.issuer,
    number: issue.number,
    symbol: letterhead.symbol,
    place: letterhead.place,
    date: issue.date,
    summary: summaryOf(report.title, planName),
    body,
    recipients: letterhead.recipients,
    signer: letterhead.signer,
  };
}

/**
 * Trích yếu: "Kết quả thực hiện Kế hoạch số 125/KH-UBND … năm 2026" for a periodic round; an ad-hoc
 * request's own title, then the plan.
 */
function summaryOf(title: string, planName: string): string {
  const periodic = /^Báo cáo kết quả thực hiện (.+)$/i.exec(title);
  if (periodic) return `Kết quả thực hiện ${planName} ${periodic[1]}`;
  const rest = title.replace(/^Báo cáo\s+/i, '');
  return `${rest.charAt(0).toLocaleUpperCase('vi')}${rest.slice(1)} (${planName})`;
}

/** 2026-11-14 → 14/11/2026, as Vietnamese documents write dates in running text. */
const vn = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
