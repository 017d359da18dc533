import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { issueToken, Role } from '@thihanh/auth';
import { vietnamDay } from '@thihanh/domain';
import { BackgroundWorkers, loadConfig } from '@thihanh/platform';
import { ThihanhApiError, ThihanhClient } from '@thihanh/sdk';
import { acknowledgeAndDeliver } from '../../libs/sdk/examples/acknowledge-and-deliver';
import { commentOnDraft } from '../../libs/sdk/examples/comment-on-draft';
import { listMyCases } from '../../libs/sdk/examples/list-my-cases';
import { submitYearlyReport } from '../../libs/sdk/examples/submit-yearly-report';
import { RoundScheduler } from '../../services/reporting/src/scheduler/round-scheduler';
import { EmbeddedConfig } from '../../tools/embedded/embedded.config';
import { loadExamples } from '../../tools/embedded/examples';
import { startEmbedded } from '../../tools/embedded/main';
import { GENERATED_FILE, generate, openApiFile, SERVICES } from '../../tools/sdk/generate';

const SECRET = 'embedded:0123456789abcdef0123456789abcdef';

/**
 * The client SDK's examples, as an agency's own system would run them, against the embedded system
 * with the two example plans — and the SDK checked against the services it was generated from.
 */
describe('the client SDK against the running system', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'thihanh-sdk-'));
  // Below Linux's ephemeral range (32768+), where outgoing connections could already hold the port.
  const port = 23000 + Math.floor(Math.random() * 600) * 5;
  let system: Awaited<ReturnType<typeof startEmbedded>>;
  const client = (agencyId: string, ...roles: Role[]) =>
    new ThihanhClient({
      baseUrls: { planRegistry: `http://127.0.0.1:${port + 1}`, taskAssignment: `http://127.0.0.1:${port + 2}`, decreeConsultation: `http://127.0.0.1:${port + 3}`, reporting: `http://127.0.0.1:${port + 4}` },
      token: issueToken([{ kid: 'embedded', secret: SECRET.split(':')[1] }], { agencyId, clientId: `${agencyId}-system`, roles, ttlSeconds: 3600 }),
    });
  let planId: string;

  beforeAll(async () => {
    const config = loadConfig(EmbeddedConfig, { THIHANH_DATA_DIR: dataDir, THIHANH_PORT: String(port), THIHANH_AUTH_KEYS: SECRET, LOG_LEVEL: 'error' });
    system = await startEmbedded(config);
    await loadExamples(dataDir, `http://127.0.0.1:${port + 1}`, system.operatorToken);
    const plans = (await client('son-la.ubnd-tinh', 'operator').planRegistry.plan.list<{ items: { planId: string; province: string }[] }>()).items;
    planId = plans.find((p) => p.province === 'son-la')!.planId;
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('was generated from the services as they are: their OpenAPI documents and the typed methods', async () => {
    const live: Record<string, unknown> = {};
    for (const [i, service] of SERVICES.entries()) live[service.name] = await (await fetch(`http://127.0.0.1:${port + i + 1}/openapi.json`)).json();
    const sorted = (value: unknown): unknown =>
      Array.isArray(value) ? value.map(sorted) : value && typeof value === 'object' ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, sorted((value as Record<string, unknown>)[k])])) : value;
    for (const service of SERVICES) expect(JSON.parse(readFileSync(openApiFile(service.name), 'utf8'))).toEqual(sorted(live[service.name]));
    expect(generate(live as Parameters<typeof generate>[0])).toBe(readFileSync(GENERATED_FILE, 'utf8'));
  });

  it('lists my cases, acknowledges one and submits a deliverable — a retried submission counted once', async () => {
    const justice = client('son-la.so-tu-phap', 'member');
    let cases: Awaited<ReturnType<typeof listMyCases>> = [];
    const deadline = Date.now() + 60_000;
    while (cases.length < 14 && Date.now() < deadline) {
      cases = await listMyCases(justice, planId);
      if (cases.length < 14) await new Promise((r) => setTimeout(r, 250));
    }
    expect(cases).toHaveLength(14); // one in each leaf task of the Sơn La plan
    const recurring = cases.find((c) => c.taskNumber === '1')!;
    const deliverable = { title: 'Báo cáo kết quả tuyên truyền năm 2026', documentNumber: '45/BC-STP', documentDate: '2026-05-10', link: 'https://stp.sonla.gov.vn/bc-45.pdf' };
    const first = await acknowledgeAndDeliver(justice, recurring.assignmentId, deliverable, 'deliver-45');
    const again = await justice.taskAssignment.assignment.deliver<{ deliverableId: string }>({ id: recurring.assignmentId, body: deliverable, idempotencyKey: 'deliver-45' });
    expect(first.status).toBe('submitted');
    expect(again.deliverableId).toBe(first.deliverableId);
    const history = (await justice.taskAssignment.caseBoard.get<{ history: { type: string }[] }>({ id: recurring.assignmentId })).history;
    expect(history.filter((e) => e.type === 'AssignmentDeliverableSubmitted')).toHaveLength(1);
  });

  it('comments on a draft decree, and a refusal arrives as a typed error with its code', async () => {
    const { commentId } = await commentOnDraft(client('son-la.so-tu-phap', 'member'), '4.a', 'Đề nghị làm rõ thẩm quyền của cấp xã.');
    expect(commentId).toMatch(/^[0-9a-f-]{36}$/);
    const refused = await commentOnDraft(client('son-la.cong-an-tinh', 'member'), '4.a', 'x').catch((e) => e);
    expect(refused).toBeInstanceOf(ThihanhApiError);
    expect(refused).toMatchObject({ status: 403, code: 'CONSULTATION.NOT_A_COORDINATOR' });
  });

  it('submits my yearly report, pre-filled from my cases', async () => {
    // The round asks the agencies that have cases when it opens: wait until reporting has all of them,
    // then for the rounds' read model, which the submission looks the round up in.
    const auditor = client('national.thanh-tra-chinh-phu', 'auditor');
    const deadline = Date.now() + 90_000;
    let total = 0;
    while (total !== 1251 && Date.now() < deadline) {
      total = (await auditor.reporting.figures.plan<{ figures: { total: number } }>({ planId })).figures.total;
      if (total !== 1251) await new Promise((r) => setTimeout(r, 250));
    }
    expect(total).toBe(1251);
    await system.apps['reporting'].get(RoundScheduler).tick();
    await system.apps['reporting'].get(BackgroundWorkers).projection('rounds').catchUp();
    const result = await submitYearlyReport(client('son-la.so-tu-phap', 'member'), planId, {
      results: 'Đã tổ chức 3 hội nghị tuyên truyền.', difficulties: 'Thiếu kinh phí.', proposals: 'Đề nghị bổ sung kinh phí.',
    });
    // Sơn La's yearly report is due before 15 November: submitted after it (on the real clock), it is late.
    const today = vietnamDay(new Date());
    expect(result).toMatchObject({ status: 'submitted', late: today >= `${today.slice(0, 4)}-11-15` });
    expect(result.figures.total).toBeGreaterThan(0);
  });
});
