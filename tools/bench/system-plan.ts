import { seedDirectory } from '@thihanh/agency-directory';

/**
 * The plans the system figures issue, as `POST /plans` bodies. The seed plans give 1,251 (Sơn La) and
 * 632 (Bắc Ninh) cases; the benchmark plan is Sơn La's shape scaled to exactly 2,000: tasks led by the
 * provincial police with the province's departments and communes coordinating (groups, expanded to
 * their members when the plan is issued), the way the real plans name parties.
 */

const PROVINCE = 'son-la';
export const POLICE = `${PROVINCE}.cong-an-tinh`;
const DEPARTMENTS = `${PROVINCE}.group.cac-so-ban-nganh`;
const COMMUNES = `${PROVINCE}.group.ubnd-cac-xa-phuong`;
const RELATED = `${PROVINCE}.group.co-quan-lien-quan`;
const SINGLES = [`${PROVINCE}.so-tu-phap`, `${PROVINCE}.so-tai-chinh`, `${PROVINCE}.so-noi-vu`];

interface Task {
  number: string;
  title: string;
  lead: { agencyId: string }[];
  implementers: { agencyId: string }[];
  coordinators: { agencyId: string }[];
  timeline: { kind: 'fixed'; dueBefore: string; text: string };
  deliverables: string[];
}

export interface BenchPlan {
  body: Record<string, unknown>;
  /** Cases the plan must open: each task × each distinct agency its parties name, groups expanded. */
  cases: number;
}

function plan(title: string, tasks: Task[], issuedOn: string): BenchPlan {
  const directory = seedDirectory();
  const members = (id: string) => (id.includes('.group.') ? directory.expand(id).map((a) => a.id) : [id]);
  const cases = tasks.reduce(
    (sum, t) => sum + new Set([...t.lead, ...t.implementers, ...t.coordinators].flatMap((p) => members(p.agencyId))).size,
    0,
  );
  const body = {
    province: PROVINCE,
    title,
    issuer: 'ỦY BAN NHÂN DÂN TỈNH SƠN LA',
    place: 'Sơn La',
    issuedOn,
    coordinatorAgencyId: POLICE,
    reporting: [{ frequency: 'yearly', dueMonthDay: '11-15', recipient: 'Công an tỉnh', recipientAgencyId: POLICE }],
    tasks,
  };
  return { body, cases };
}

function task(number: string, title: string, dueBefore: string, parties: { implementers?: string[]; coordinators?: string[] }): Task {
  return {
    number,
    title,
    lead: [{ agencyId: POLICE }],
    implementers: (parties.implementers ?? []).map((agencyId) => ({ agencyId })),
    coordinators: (parties.coordinators ?? []).map((agencyId) => ({ agencyId })),
    timeline: { kind: 'fixed', dueBefore, text: `Hoàn thành trước ngày ${dueBefore.split('-').reverse().join('/')}` },
    deliverables: ['Báo cáo kết quả thực hiện'],
  };
}

/** 22 tasks × 90 (police, 14 other departments, 75 communes) + 16 related bodies + 4 named agencies = 2,000. */
export function benchPlan(issuedOn: string): BenchPlan {
  const due = `${issuedOn.slice(0, 4)}-12-31`;
  const tasks: Task[] = [];
  for (let i = 1; i <= 22; i++) {
    tasks.push(task(String(i), `Nhiệm vụ ${i}: tuyên truyền, phổ biến và tổ chức thực hiện Luật tại cơ quan, địa phương`, due, { coordinators: [DEPARTMENTS, COMMUNES] }));
  }
  tasks.push(task('23', 'Rà soát văn bản quy phạm pháp luật có liên quan', due, { coordinators: [RELATED] }));
  tasks.push(task('24', 'Kiện toàn tổ chức bộ máy, bố trí kinh phí thực hiện', due, { implementers: SINGLES }));
  return plan('Kế hoạch đo hiệu năng: triển khai thi hành Luật (2.000 hồ sơ)', tasks, issuedOn);
}

/** A plan of four cases, issued first: topics exist, consumer groups have joined, code paths are warm. */
export function warmUpPlan(issuedOn: string): BenchPlan {
  const due = `${issuedOn.slice(0, 4)}-12-31`;
  return plan('Kế hoạch khởi động (đo hiệu năng)', [task('1', 'Khởi động', due, { implementers: SINGLES })], issuedOn);
}
