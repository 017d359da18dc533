import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { draftDecreeText } from '@thihanh/fixtures';
import { AGENCIES, consultationResponse, OpenApiRoute, OpenApiSchema, resolveSchema, SeededIds, smallPlan } from './seeded-system';

/**
 * A request each route accepts, on the seeded ids: its path, query and body. The fault tests start
 * from these — bad input mutates one thing of a valid request, so that what is bad is that one thing,
 * and the authorization test sends them as they are. A route missing here gets a body made from its
 * OpenAPI schema and a path of unknown ids.
 */

export type ValidBody = { kind: 'json'; value: Record<string, unknown> } | { kind: 'multipart'; fields: Record<string, string>; file: { name: string; content: Buffer } };

export interface ValidRequest {
  path: string;
  query: Record<string, string>;
  body?: ValidBody;
  /** False when the body was made up from the schema rather than written here. */
  known: boolean;
}

const TODAY = '2026-05-04';

export const routeKey = (route: Pick<OpenApiRoute, 'service' | 'method' | 'path'>) => `${route.service} ${route.method} ${route.path}`;

/** Path parameters by name, for the route they appear in. */
function pathParams(route: OpenApiRoute, ids: SeededIds): Record<string, string> {
  const audit = ids.audit[route.service];
  const p = route.path;
  const id =
    p.startsWith('/audit/') ? audit.aggregateId
    : p.startsWith('/agencies/') ? 'son-la.so-y-te'
    : p === '/plans/{id}' && route.method === 'PUT' ? ids.draftPlanId
    : p === '/plans/{id}/issue' ? ids.draftPlanId
    : p === '/plans/{id}/amend' || p === '/plans/{id}/close' ? ids.smallPlanId
    : p.startsWith('/plans/') ? ids.planId
    : p.startsWith('/cases/{id}/') && /accept|return|reassign|block|unblock/.test(p) ? ids.reviewCaseId
    : p.startsWith('/cases/') ? ids.caseId
    : p.startsWith('/consultations/') ? ids.consultationId
    : p.startsWith('/rounds/') ? ids.roundId
    : randomUUID();
  return {
    id,
    planId: ids.planId,
    commentId: ids.commentId,
    requestId: ids.requestId,
    deliverableId: ids.deliverableId,
    version: '1',
    chart: 'by-task',
    agencyId: AGENCIES.justice,
    streamType: audit.streamType,
    streamId: `${audit.streamType}-${audit.aggregateId}`,
    eventId: audit.eventId,
    name: audit.readModel,
  };
}

export function fillPath(route: OpenApiRoute, ids: SeededIds, override: Record<string, string> = {}): string {
  const values = { ...pathParams(route, ids), ...override };
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? randomUUID()));
}

const QUERIES: Record<string, (ids: SeededIds) => Record<string, string>> = {
  'plan-registry GET /agencies/export': () => ({ format: 'json' }),
  'decree-consultation GET /consultations/{id}/diff': () => ({ from: '1', to: '2' }),
  'reporting GET /rollup': () => ({ year: '2026' }),
};

const AUDIT_QUERIES: Record<string, (ids: SeededIds) => Record<string, string>> = {
  '/audit/bundle': (ids) => ({ planId: ids.planId }),
  '/audit/aggregates/{streamType}/{id}/diff': () => ({ from: '2026-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z' }),
};

const reason = { reason: 'Theo đề nghị của cơ quan chủ trì' };
const narrative = { results: 'Đã triển khai.', difficulties: 'Thiếu kinh phí.', proposals: 'Đề nghị hỗ trợ.' };
const json = (value: Record<string, unknown>): ValidBody => ({ kind: 'json', value });

const BODIES: Record<string, (ids: SeededIds) => ValidBody> = {
  'plan-registry POST /agencies': () => json({ id: 'son-la.so-thu-nghiem', officialName: 'Sở Thử nghiệm', kind: 'department', province: 'son-la' }),
  'plan-registry POST /agencies/{id}/rename': () => json({ newName: 'Sở Y tế tỉnh Sơn La', on: TODAY }),
  'plan-registry POST /agencies/merge': () => json({ sourceIds: ['son-la.ubnd-xa-muong-gion'], intoId: 'son-la.ubnd-xa-quynh-nhai', on: TODAY }),
  'plan-registry POST /agencies/{id}/retire': () => json({ on: TODAY }),
  'plan-registry POST /agencies/import': () =>
    json({ format: 'csv', mode: 'upsert', content: 'id,officialName,aliases,kind,province,parentId,focalPointName,focalPointPhone,focalPointEmail\nson-la.so-ngoai-vu,Sở Ngoại vụ,,department,son-la,,,,\n' }),
  'plan-registry POST /plans': () => json(smallPlan('Kế hoạch mới')),
  'plan-registry POST /plans/import': () => ({ kind: 'multipart', fields: {}, file: { name: 'ke-hoach.txt', content: PLAN_TEXT } }),
  'plan-registry PUT /plans/{id}': () => json(smallPlan('Kế hoạch thử (sửa)')),
  'plan-registry POST /plans/{id}/issue': () => json({ number: '1/KH-UBND', issuedOn: TODAY }),
  'plan-registry POST /plans/{id}/amend': () => json({ reason: 'Bổ sung nhiệm vụ', plan: smallPlan('Kế hoạch nhỏ (sửa đổi)') }),
  'plan-registry POST /plans/{id}/close': () => json({ reason: 'Hoàn thành', closedOn: TODAY }),
  'task-assignment POST /cases/{id}/acknowledge': () => json({ focalPoint: { name: 'Lò Văn B', title: 'Chuyên viên', phone: '0212 385 2345', email: 'lvb@sotuphap.bacninh.gov.vn' } }),
  'task-assignment POST /cases/{id}/progress': () => json({ percent: 50, note: 'Đã hoàn thành một nửa' }),
  'task-assignment POST /cases/{id}/deliverables': () => json({ title: 'Báo cáo kết quả', documentNumber: '12/BC-STP', documentDate: TODAY, link: 'https://sotuphap.bacninh.gov.vn/bc-12' }),
  'task-assignment POST /cases/{id}/deliverables/upload': () => ({ kind: 'multipart', fields: { title: 'Báo cáo kết quả', documentNumber: '13/BC-STP', documentDate: TODAY }, file: { name: 'bao-cao.txt', content: Buffer.from('Báo cáo') } }),
  'task-assignment POST /cases/{id}/extension-requests': () => json({ newDueBefore: '2026-08-15', reason: 'Chờ số liệu cấp xã' }),
  'task-assignment POST /cases/{id}/extension-requests/{requestId}/grant': () => json({ newDueBefore: '2026-08-15' }),
  'task-assignment POST /cases/{id}/extension-requests/{requestId}/refuse': () => json(reason),
  'task-assignment POST /cases/{id}/accept': () => json({ note: 'Đạt yêu cầu' }),
  'task-assignment POST /cases/{id}/return': () => json(reason),
  'task-assignment POST /cases/{id}/reassign': () => json({ toAgencyId: 'bac-ninh.so-y-te', ...reason }),
  'task-assignment POST /cases/{id}/block': () => json(reason),
  'task-assignment POST /cases/{id}/unblock': () => json(reason),
  'task-assignment POST /cases/{id}/gate': () => json({ gate: 'Bộ Công an tổ chức tập huấn', dueBefore: '2026-09-30' }),
  'task-assignment POST /cases/{id}/due-date': () => json({ dueBefore: '2026-09-30' }),
  'decree-consultation POST /consultations': () =>
    json({ draftType: 'Nghị định', draftTitle: 'Dự thảo Nghị định thử', draftingMinistry: 'Bộ Công an', legalRefs: ['khoản 4 Điều 25'], leadAgencyId: AGENCIES.police, coordinatorAgencyIds: [AGENCIES.justice], deadline: '2026-06-15' }),
  'decree-consultation POST /consultations/{id}/deadline': () => json({ deadline: '2026-06-15', source: 'ministry-request', request: { number: '1520/BCA-A05', date: TODAY, ministry: 'Bộ Công an' } }),
  'decree-consultation POST /consultations/{id}/ministry': () => json({ draftingMinistry: 'Bộ Công an' }),
  'decree-consultation POST /consultations/{id}/drafts': () => ({ kind: 'multipart', fields: {}, file: { name: 'du-thao-3.txt', content: Buffer.from(draftDecreeText(2)) } }),
  'decree-consultation POST /consultations/{id}/comments': () => json({ anchor: 'dieu-4.khoan-1', text: 'Đề nghị rút ngắn thời hạn.' }),
  'decree-consultation PUT /consultations/{id}/comments/{commentId}': () => json({ anchor: 'dieu-4', text: 'Đề nghị làm rõ thời hạn (sửa).' }),
  'decree-consultation POST /consultations/{id}/comments/{commentId}/decision': () => json({ decision: 'partly-accepted', reason: 'Tiếp thu một phần' }),
  'decree-consultation PUT /consultations/{id}/response': () => json(consultationResponse()),
  'decree-consultation POST /consultations/{id}/response/submit': () => json({ number: '45/CAT-ANM', date: TODAY }),
  'decree-consultation POST /consultations/{id}/close': () => json({ number: '53/2026/NĐ-CP', date: TODAY, title: 'Nghị định quy định chi tiết' }),
  'decree-consultation POST /consultations/{id}/cancel': () => json(reason),
  'reporting POST /plans/{planId}/rounds': () => json({ title: 'Báo cáo đột xuất', dueBefore: '2026-06-15', period: { from: '2026-01-01', to: TODAY }, taskNumbers: ['4'], note: 'Gửi trước hạn' }),
  'reporting PUT /rounds/{id}/reports/mine': () => json(narrative),
  'reporting POST /rounds/{id}/reports/mine/submit': () => json(narrative),
  'reporting POST /rounds/{id}/reports/{agencyId}/return': () => json(reason),
  'reporting POST /rounds/{id}/provincial-report/issue': () =>
    json({ number: '312/BC-UBND', date: TODAY, issuer: 'ỦY BAN NHÂN DÂN TỈNH BẮC NINH', place: 'Bắc Ninh', recipients: ['Bộ Công an', 'Lưu: VT'], signer: { authority: 'TM. ỦY BAN NHÂN DÂN', title: 'CHỦ TỊCH', name: 'Nguyễn Văn A' } }),
};

const PLAN_TEXT = readFileSync(path.join(__dirname, '../fixtures/plans/bac-ninh-plan.txt'));

/** The route's valid request on the seeded ids. */
export function validRequest(route: OpenApiRoute, ids: SeededIds): ValidRequest {
  const key = routeKey(route);
  const path = fillPath(route, ids);
  const query = QUERIES[key]?.(ids) ?? AUDIT_QUERIES[route.path]?.(ids) ?? {};
  const written = BODIES[key];
  if (written) return { path, query, body: written(ids), known: true };
  const content = route.operation.requestBody?.content ?? {};
  if (content['application/json']) {
    return { path, query, body: json(exampleOf(route, content['application/json'].schema) as Record<string, unknown>), known: false };
  }
  if (content['multipart/form-data']) {
    return { path, query, body: { kind: 'multipart', fields: {}, file: { name: 'file.txt', content: Buffer.from('x') } }, known: false };
  }
  return { path, query, known: true };
}

/** A value of the schema's shape, from its examples where it has some. */
export function exampleOf(route: OpenApiRoute, schema: OpenApiSchema | undefined, depth = 0): unknown {
  const s = resolveSchema(route.document, schema);
  if (!s || depth > 5) return {};
  if (s.example !== undefined) return s.example;
  if (s.enum?.length) return s.enum[0];
  switch (s.type) {
    case 'string': return 'x';
    case 'number': case 'integer': return 1;
    case 'boolean': return true;
    case 'array': return [exampleOf(route, s.items, depth + 1)];
    default: return Object.fromEntries((s.required ?? []).map((name) => [name, exampleOf(route, s.properties?.[name], depth + 1)]));
  }
}
