import { ROLES, Role } from '@thihanh/auth';
import { describeWithKafka } from '@thihanh/testing';
import request from 'supertest';
import { routeKey, validRequest, ValidRequest } from './route-requests';
import { AGENCIES, bearer, OpenApiRoute, openApiRoutes, SeededSystem, startSeededSystem } from './seeded-system';

/**
 * Issue 9: every route × every role × own agency / another agency / a ministry, plus no token, an
 * expired token and one signed with a wrong key, against the table below — written from
 * docs/api.md, which is the spec. Deny is 401 without a valid token, 403 for a role the route does
 * not take, and 403 or 404 (a *.NOT_FOUND code: the API hides what is not the caller's) for an agency
 * with no part; allow is anything else, except a 404 that hides the resource from its own party.
 *
 * Allowed requests carry valid bodies (route-requests.ts), so commands run for real, and the test
 * asserts that none of them is refused by validation. A new route without a body written there gets
 * one made from its OpenAPI schema, which validation may refuse: that 400 still shows the guard let
 * the caller through, which is all an allowed case asserts. Requests that should be denied are sent
 * first, all of them, so that a denial never depends on what an allowed command changed.
 */

type Rule =
  | { public: true }
  | {
      /** The roles the route takes (`roles` column of docs/api.md). */
      roles: readonly Role[];
      /** Agencies with a part in the resource; absent: any agency. The first is the "own" agency of the matrix. */
      parties?: readonly string[];
      /** Roles that need no part in the resource (auditors and operators see everything). */
      anyAgency?: readonly Role[];
    };

const ALL = ROLES;
const SEES_ALL: readonly Role[] = ['auditor', 'operator'];
const { issuer, police, justice, outsider, ministry } = AGENCIES;
const everyone: Rule = { roles: ALL };
const operatorOnly: Rule = { roles: ['operator'] };
const audit: Rule = { roles: SEES_ALL };
/** "operator; coordinator of the issuing authority": the People's Committee, or the plan's coordinator (the police). */
const planEditor: Rule = { roles: ['operator', 'coordinator'], parties: [issuer, police], anyAgency: ['operator'] };
/** Cases: the assigned agency (justice) and the task's lead / plan's coordinator (police); the rest get 404. */
const caseParty: Rule = { roles: ALL, parties: [justice, police], anyAgency: SEES_ALL };
const assignedAgency: Rule = { roles: ['member', 'coordinator'], parties: [justice] };
const caseReviewer: Rule = { roles: ['coordinator', 'operator'], parties: [police], anyAgency: ['operator'] };
/** Consultations: parties are the lead (police) and the coordinating agencies (justice among them). */
const consultationParty: Rule = { roles: ALL, parties: [justice, police], anyAgency: SEES_ALL };
const consultationLead: Rule = { roles: ['coordinator', 'operator'], parties: [police], anyAgency: ['operator'] };
const coordinatingAgency: Rule = { roles: ['member', 'coordinator'], parties: [justice] };
/** Rounds: the coordinator (police) receives, the asked agencies (justice) report. */
const roundParty: Rule = { roles: ALL, parties: [justice, police], anyAgency: SEES_ALL };
const roundReceiver: Rule = { roles: ALL, parties: [police], anyAgency: SEES_ALL };
const roundCoordinator: Rule = { roles: ['coordinator', 'operator'], parties: [police], anyAgency: ['operator'] };
const askedAgency: Rule = { roles: ['member', 'coordinator'], parties: [justice] };

const AUDIT_ROUTES = ['/audit/events', '/audit/events/{eventId}/causes', '/audit/streams/{streamId}', '/audit/aggregates/{streamType}/{id}', '/audit/aggregates/{streamType}/{id}/diff', '/audit/verify', '/audit/read-models/{name}/replay', '/audit/bundle'];
const EVERY_SERVICE = ['plan-registry', 'task-assignment', 'decree-consultation', 'reporting'];

/** docs/api.md, route by route. */
const RULES: Record<string, Rule> = {
  ...Object.fromEntries(EVERY_SERVICE.flatMap((s) => [...AUDIT_ROUTES.map((r) => [`${s} GET ${r}`, audit]), [`${s} GET /metrics`, { public: true }]])),
  'plan-registry GET /agencies': everyone,
  'plan-registry GET /agencies/{id}': everyone,
  'plan-registry GET /agencies/export': everyone,
  'plan-registry POST /agencies': operatorOnly,
  'plan-registry POST /agencies/{id}/rename': operatorOnly,
  'plan-registry POST /agencies/merge': operatorOnly,
  'plan-registry POST /agencies/{id}/retire': operatorOnly,
  'plan-registry POST /agencies/import': operatorOnly,
  'plan-registry POST /plans': planEditor,
  'plan-registry POST /plans/import': planEditor,
  'plan-registry PUT /plans/{id}': planEditor,
  'plan-registry POST /plans/{id}/issue': planEditor,
  'plan-registry POST /plans/{id}/amend': planEditor,
  'plan-registry POST /plans/{id}/close': planEditor,
  'plan-registry GET /plans': everyone,
  'plan-registry GET /plans/{id}': everyone,

  'task-assignment GET /cases': everyone, // each agency its own cases
  'task-assignment GET /cases/{id}': caseParty,
  'task-assignment GET /plans/{planId}/board': { roles: ALL, parties: [police], anyAgency: SEES_ALL }, // its coordinator; a lead its own tasks
  'task-assignment POST /cases/{id}/acknowledge': assignedAgency,
  'task-assignment POST /cases/{id}/progress': assignedAgency,
  'task-assignment POST /cases/{id}/deliverables': assignedAgency,
  'task-assignment POST /cases/{id}/deliverables/upload': assignedAgency,
  'task-assignment GET /cases/{id}/deliverables/{deliverableId}/file': caseParty,
  'task-assignment POST /cases/{id}/extension-requests': assignedAgency,
  'task-assignment POST /cases/{id}/extension-requests/{requestId}/grant': caseReviewer,
  'task-assignment POST /cases/{id}/extension-requests/{requestId}/refuse': caseReviewer,
  'task-assignment POST /cases/{id}/accept': caseReviewer,
  'task-assignment POST /cases/{id}/return': caseReviewer,
  'task-assignment POST /cases/{id}/reassign': caseReviewer,
  'task-assignment POST /cases/{id}/block': caseReviewer,
  'task-assignment POST /cases/{id}/unblock': caseReviewer,
  'task-assignment POST /cases/{id}/gate': operatorOnly,
  'task-assignment POST /cases/{id}/due-date': operatorOnly,

  'decree-consultation GET /consultations': everyone,
  'decree-consultation GET /consultations/{id}': consultationParty,
  'decree-consultation GET /consultations/{id}/answers': consultationParty,
  'decree-consultation GET /consultations/{id}/comments': consultationParty,
  'decree-consultation GET /consultations/{id}/drafts/{version}': consultationParty,
  'decree-consultation GET /consultations/{id}/drafts/{version}/file': consultationParty,
  'decree-consultation GET /consultations/{id}/diff': consultationParty,
  'decree-consultation GET /consultations/{id}/response.docx': { roles: ALL, parties: [police], anyAgency: SEES_ALL }, // the lead, auditors, operators
  'decree-consultation POST /consultations': operatorOnly,
  'decree-consultation POST /consultations/{id}/deadline': consultationLead,
  'decree-consultation POST /consultations/{id}/ministry': consultationLead,
  'decree-consultation POST /consultations/{id}/drafts': consultationLead,
  'decree-consultation POST /consultations/{id}/comments': coordinatingAgency,
  'decree-consultation POST /consultations/{id}/no-comment': coordinatingAgency,
  'decree-consultation PUT /consultations/{id}/comments/{commentId}': coordinatingAgency, // the comment's agency
  'decree-consultation POST /consultations/{id}/comments/{commentId}/withdraw': coordinatingAgency, // the comment's agency
  'decree-consultation POST /consultations/{id}/comments/{commentId}/decision': consultationLead,
  'decree-consultation PUT /consultations/{id}/response': consultationLead,
  'decree-consultation POST /consultations/{id}/response/submit': consultationLead,
  'decree-consultation POST /consultations/{id}/close': consultationLead,
  'decree-consultation POST /consultations/{id}/cancel': operatorOnly,

  'reporting GET /rounds': everyone,
  'reporting POST /plans/{planId}/rounds': roundCoordinator, // the plan's coordinator, operator
  'reporting GET /rounds/{id}': roundParty,
  'reporting GET /rounds/{id}/missing': roundReceiver,
  'reporting GET /rounds/{id}/reports/mine': askedAgency,
  'reporting PUT /rounds/{id}/reports/mine': askedAgency,
  'reporting POST /rounds/{id}/reports/mine/submit': askedAgency,
  'reporting GET /rounds/{id}/reports/{agencyId}': { roles: ALL, parties: [justice, police], anyAgency: SEES_ALL }, // the agency, the coordinator
  'reporting POST /rounds/{id}/reports/{agencyId}/accept': roundCoordinator,
  'reporting POST /rounds/{id}/reports/{agencyId}/return': roundCoordinator,
  'reporting GET /rounds/{id}/provincial-report': roundReceiver,
  'reporting GET /rounds/{id}/provincial-report.csv': roundReceiver,
  'reporting GET /rounds/{id}/provincial-report.docx': roundReceiver,
  'reporting POST /rounds/{id}/provincial-report/issue': roundCoordinator,
  'reporting GET /rounds/{id}/charts/{chart}': roundReceiver,
  // "the plan's coordinator, auditors, operators, ministries": coordinators of the plan's coordinating agency or of a ministry (national.*).
  'reporting GET /plans/{planId}/figures': { roles: ['coordinator', 'auditor', 'operator'], parties: [police, ministry], anyAgency: SEES_ALL },
  'reporting GET /rollup': { roles: ['coordinator', 'auditor', 'operator'], parties: [ministry], anyAgency: SEES_ALL }, // ministries, auditors, operators
  'reporting POST /admin/read-models/rebuild': operatorOnly,
};

/** 404 codes that hide a resource from whoever has no part in it: never right for one who has. */
const HIDING_CODES = new Set(['ASSIGNMENT.NOT_FOUND', 'CASE.NOT_FOUND', 'BOARD.NOT_FOUND', 'DELIVERABLE.NOT_FOUND', 'CONSULTATION.NOT_FOUND', 'ROUND.NOT_FOUND']);

type Caller = { name: string; authorization?: string } & ({ kind: 'token'; role: Role; column: 'own' | 'other' | 'ministry' } | { kind: 'unauthenticated' });
type Expectation = { allow: true } | { allow: false; why: 'unauthenticated' | 'role' | 'party' };

interface Case {
  route: OpenApiRoute;
  caller: Caller;
  expected: Expectation;
  valid: ValidRequest;
}

interface Result extends Case {
  status: number;
  code: string | undefined;
  text: string;
}

describeWithKafka('every route × role × agency is allowed or denied as docs/api.md says', () => {
  let system: SeededSystem;
  let routes: OpenApiRoute[];

  beforeAll(async () => {
    system = await startSeededSystem('faults-authz');
    routes = await openApiRoutes(system.apps);
  }, 240_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('denies and allows exactly as the table says, with no violation', async () => {
    const unlisted = routes.map(routeKey).filter((key) => !RULES[key]);
    const stale = Object.keys(RULES).filter((key) => !routes.some((r) => routeKey(r) === key));
    expect({ unlisted, stale }).toEqual({ unlisted: [], stale: [] }); // a new route needs its line in the table (from docs/api.md)

    const cases = routes.flatMap((route) => callersOf(route).map((caller) => ({ route, caller, expected: expectation(RULES[routeKey(route)], route, caller), valid: validRequest(route, system.ids) })));
    const started = Date.now();
    const denied = await runAll(system, cases.filter((c) => !c.expected.allow), 6);
    const allowed: Result[] = [];
    for (const c of cases.filter((c) => c.expected.allow)) allowed.push(await send(system, c));
    const seconds = (Date.now() - started) / 1000;

    const results = [...denied, ...allowed];
    const violations = results.filter((r) => violation(r));
    const rejectedValidBodies = allowed.filter((r) => r.valid.known && r.status === 400 && r.code === 'VALIDATION.FAILED');
    const by = (pick: (r: Result) => string) => [...results.reduce((m, r) => m.set(pick(r), (m.get(pick(r)) ?? 0) + 1), new Map<string, number>())].map(([k, n]) => `${k} ${n}`).join(', ');
    process.stdout.write(
      [
        `\nAuthorization: ${results.length} cases on ${routes.length} routes in ${seconds.toFixed(1)} s — ${allowed.length} expected allowed, ${denied.length} expected denied; ${violations.length} violations`,
        `  by expectation: ${by((r) => (r.expected.allow ? 'allow' : `deny(${r.expected.why})`))}`,
        `  by status: ${by((r) => String(r.status))}`,
        '',
      ].join('\n'),
    );
    if (violations.length) process.stdout.write(`Violations:\n${violations.map(describe).join('\n')}\n`);
    if (rejectedValidBodies.length) process.stdout.write(`Valid bodies refused by validation:\n${rejectedValidBodies.map(describe).join('\n')}\n`);

    expect(results.length).toBe(routes.length * 15);
    expect(violations.map(describe)).toEqual([]);
    expect(rejectedValidBodies.map(describe)).toEqual([]);
  }, 600_000);
});

/** The 15 callers of a route: each role of the own agency, another province's and a ministry's, and three without a valid token. */
function callersOf(route: OpenApiRoute): Caller[] {
  const rule = RULES[routeKey(route)];
  const own = rule && 'roles' in rule && rule.parties ? rule.parties[0] : justice;
  const columns = { own, other: outsider, ministry } as const;
  const tokens: Caller[] = ROLES.flatMap((role) =>
    (['own', 'other', 'ministry'] as const).map((column) => ({ kind: 'token' as const, role, column, name: `${role} of ${columns[column]}`, authorization: bearer(columns[column], [role]) })),
  );
  const now = Date.now();
  return [
    ...tokens,
    { kind: 'unauthenticated', name: 'no token' },
    { kind: 'unauthenticated', name: 'an expired operator token', authorization: bearer(issuer, [...ROLES], { ttlSeconds: 60, now: new Date(now - 3_600_000) }) },
    { kind: 'unauthenticated', name: 'an operator token signed with a wrong key', authorization: bearer(issuer, [...ROLES], { keys: [{ kid: 'faults', secret: 'not-the-key-0123456789abcdef0123456789' }] }) },
  ];
}

function expectation(rule: Rule, route: OpenApiRoute, caller: Caller): Expectation {
  if ('public' in rule) return { allow: true };
  if (caller.kind === 'unauthenticated') return { allow: false, why: 'unauthenticated' };
  // An auditor reads, never writes (docs/api.md, Authentication).
  if (!rule.roles.includes(caller.role) || (caller.role === 'auditor' && route.method !== 'GET')) return { allow: false, why: 'role' };
  if (!rule.parties || rule.anyAgency?.includes(caller.role)) return { allow: true };
  const agency = caller.column === 'own' ? rule.parties[0] : caller.column === 'other' ? outsider : ministry;
  return rule.parties.includes(agency) ? { allow: true } : { allow: false, why: 'party' };
}

function violation(r: Result): boolean {
  if (r.expected.allow) return r.status === 401 || r.status === 403 || (r.status === 404 && HIDING_CODES.has(r.code ?? '')) || r.status >= 500;
  switch (r.expected.why) {
    case 'unauthenticated': return r.status !== 401;
    case 'role': return r.status !== 403 || r.code !== 'AUTH.FORBIDDEN';
    case 'party': return !(r.status === 403 || (r.status === 404 && /\.NOT_FOUND$/.test(r.code ?? '')));
  }
}

async function runAll(system: SeededSystem, cases: Case[], concurrency: number): Promise<Result[]> {
  const results: Result[] = new Array(cases.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < cases.length) {
        const i = next++;
        results[i] = await send(system, cases[i]);
      }
    }),
  );
  return results;
}

async function send(system: SeededSystem, c: Case): Promise<Result> {
  const agent = request(system.apps[c.route.service].getHttpServer()) as unknown as Record<string, (url: string) => request.Test>;
  const query = new URLSearchParams(c.valid.query).toString();
  let test = agent[c.route.method.toLowerCase()](query ? `${c.valid.path}?${query}` : c.valid.path);
  if (c.caller.authorization) test = test.set('Authorization', c.caller.authorization);
  const body = c.valid.body;
  if (body?.kind === 'json') test = test.send(body.value);
  if (body?.kind === 'multipart') {
    for (const [name, value] of Object.entries(body.fields)) test = test.field(name, value);
    test = test.attach('file', body.file.content, body.file.name);
  }
  const res = await test;
  const code = typeof res.body?.code === 'string' ? (res.body.code as string) : undefined;
  return { ...c, status: res.status, code, text: res.text ?? '' };
}

function describe(r: Result): string {
  const expected = r.expected.allow ? 'allow' : `deny (${r.expected.why})`;
  return `  [${r.route.service}] ${r.route.method} ${r.route.path} as ${r.caller.name}: expected ${expected}, got ${r.status} ${r.code ?? ''} ${(r.text ?? '').replace(/\s+/g, ' ').slice(0, 200)}`;
}
