import { randomUUID } from 'node:crypto';
import { sign } from 'jsonwebtoken';
import { SERVICES } from '@thihanh/contracts';
import { describeWithKafka } from '@thihanh/testing';
import request from 'supertest';
import { routeKey, validRequest, ValidBody, ValidRequest } from './route-requests';
import {
  AGENCIES, bearer, KEYS, OpenApiRoute, OpenApiSchema, openApiRoutes, resolveSchema, SeededSystem, SELF_CHANGING_TABLES,
  startSeededSystem, tableCounts,
} from './seeded-system';

/**
 * Issue 9: a generated corpus of invalid requests to every route the services' OpenAPI documents name.
 * Each one must be refused with a 4xx, as application/problem+json with a machine-readable code and a
 * message, and change nothing: every table of every service holds the same rows afterwards.
 */

type Category =
  | 'auth' | 'unknown-id' | 'query' | 'if-match' | 'idempotency-key' | 'content-type' | 'body-shape' | 'too-large' | 'invalid-utf8'
  | 'missing-field' | 'unknown-field' | 'wrong-type' | 'impossible-date' | 'bad-id' | 'bad-enum' | 'huge-string' | 'huge-array' | 'bad-file';

type Body =
  | { kind: 'json'; value: unknown }
  | { kind: 'raw'; contentType?: string; content: string | Buffer }
  | { kind: 'multipart'; fields: Record<string, string>; files: { field: string; name: string; content: Buffer }[] };

interface BadRequest {
  route: OpenApiRoute;
  category: Category;
  what: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: Body;
  /** When the refusal has one right status (401 for a bad token, 413, 415…); else any 4xx. */
  status?: number;
}

interface Outcome {
  request: BadRequest;
  ms: number;
  status: number;
  contentType: string;
  code: unknown;
  detail: unknown;
  text: string;
}

const SQL = `'; DROP TABLE es_events; --`;
const SCRIPT = '<script>alert(1)</script>';
const NFD_ID = 'bac-ninh.sở-tư-pháp'.normalize('NFD');
const NFD_NAME = 'Sở Tư pháp'.normalize('NFD');
const IMPOSSIBLE_DATES = ['2026-02-30', '2026-13-01', '', 'yesterday', '2026-04-31', '2026-02-29', '0000-00-00', '26-05-04', '2026-5-4', '2026-05-04T25:61:00Z'];
const BAD_IDS = [SQL, SCRIPT, NFD_ID, NFD_NAME, '', ' ', 'A'.repeat(400), '../../etc/passwd', 'bac-ninh.so-tu-phap\u0000', 'BAC-NINH.SO-TU-PHAP'];
const BAD_PATH_IDS = [randomUUID(), '00000000-0000-0000-0000-000000000000', 'not-a-uuid', '12345', '-1', SQL, SCRIPT, NFD_ID, 'x'.repeat(2000), '\u0000'];
const BAD_IF_MATCH = ['abc', 'W/"1"', '"1", "2"', '"-1"', '"99999999999999999999"', '""', '"1', SQL];
const HUGE_STRING = 'x'.repeat(300_000); // a field far beyond any sane length, the body still under BODY_LIMIT
const OVER_BODY_LIMIT = 1024 * 1024 + 1;
const MIN_REQUESTS_PER_ROUTE = 12;
const CONCURRENCY = 6;

/** Bad queries of the routes that read one (the OpenAPI documents do not list query parameters). */
const BAD_QUERIES: Record<string, string[]> = {
  'plan-registry GET /agencies': ['limit=0', 'limit=-1', 'limit=abc', 'limit=100000', `province=${encodeURIComponent(SQL)}`, `province=${encodeURIComponent(NFD_NAME)}`, 'q=', `q=${'a'.repeat(300)}`],
  'plan-registry GET /agencies/export': ['', 'format=xml', 'format=', `format=json&province=${encodeURIComponent(SCRIPT)}`, 'format[]=json'],
  'plan-registry GET /plans': ['status=open', `status=${encodeURIComponent(SQL)}`, 'limit=0', 'limit=201', 'offset=-1', 'offset=abc', 'q=', `province=${encodeURIComponent(NFD_NAME)}`],
  'plan-registry GET /plans/{id}': ['version=0', 'version=-1', 'version=abc', 'version=1.5', 'version[]=1'],
  'task-assignment GET /cases': [
    'planId=not-a-uuid', `planId=${encodeURIComponent(SQL)}`, 'status=done', 'dueBefore=2026-02-30', 'dueBefore=2026-13-01', 'dueBefore=yesterday', 'dueBefore=',
    'limit=0', 'limit=501', 'offset=-1', `agencyId=${encodeURIComponent(NFD_ID)}`, `agencyId=${encodeURIComponent(SCRIPT)}`, 'q=', 'planId[]=a&planId[]=b', 'planId[x]=y',
  ],
  'decree-consultation GET /consultations': ['planId=not-a-uuid', 'status=unknown', 'limit=0', 'limit=abc', 'offset=-5', 'q=', `planId=${encodeURIComponent(NFD_ID)}`],
  'decree-consultation GET /consultations/{id}/diff': ['', 'from=1', 'from=0&to=2', 'from=a&to=b', 'from=1&to=-2', 'from=1&to=2.5'],
  'reporting GET /rounds': ['planId=not-a-uuid', `planId=${encodeURIComponent(SQL)}`, 'status=late', `status=${encodeURIComponent(SCRIPT)}`],
  'reporting GET /rounds/{id}/charts/{chart}': ['format=gif', 'format=', `format=${encodeURIComponent(SCRIPT)}`],
  'reporting GET /plans/{planId}/figures': ['asOf=2026-02-30', 'asOf=2026-13-01', 'asOf=yesterday', 'asOf=', `asOf=${encodeURIComponent(SQL)}`],
  'reporting GET /rollup': ['', 'year=abc', 'year=1999', 'year=2026&kind=weekly', 'year=', `year=${encodeURIComponent(SQL)}`],
};
const BAD_AUDIT_QUERIES: Record<string, string[]> = {
  '/audit/events': ['from=2026-02-30', 'to=yesterday', 'limit=0', 'limit=5000', 'after=-1', 'type=lowercase', `correlationId=${encodeURIComponent(SQL)}`, `agencyId=${encodeURIComponent(NFD_ID)}`],
  '/audit/aggregates/{streamType}/{id}': ['asOf=2026-02-30', 'asOf=yesterday', 'version=-1', 'version=abc'],
  '/audit/aggregates/{streamType}/{id}/diff': ['', 'from=2026-01-01T00:00:00Z', 'from=2026-02-30T00:00:00Z&to=2026-03-01T00:00:00Z', 'from=yesterday&to=today'],
  '/audit/bundle': ['', 'planId=not-a-uuid', `planId=${encodeURIComponent(SQL)}`],
};
/** Routes that parse what they are sent (a plan document, a draft decree): a file that is neither must be refused. */
const PARSED_UPLOADS = new Set(['plan-registry POST /plans/import', 'decree-consultation POST /consultations/{id}/drafts']);
const UPLOAD_LIMITS: Record<string, number> = {
  'plan-registry POST /plans/import': 5 * 1024 * 1024,
  'decree-consultation POST /consultations/{id}/drafts': 10 * 1024 * 1024,
  'task-assignment POST /cases/{id}/deliverables/upload': 20 * 1024 * 1024,
};

const isCommand = (method: string) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method);
const isDateLike = (name: string) => /date|Date|^dueBefore$|^newDueBefore$|^issuedOn$|^closedOn$|^deadline$|^on$|^from$|^to$|^asOf$/.test(name);
const isIdLike = (name: string) => /^id$|Id$|Ids$|^anchor$|^province$|^sha256$|^intoId$|^mergedInto$|^parentId$/.test(name);

describeWithKafka('bad input to every route is refused with a 4xx problem and changes nothing', () => {
  let system: SeededSystem;
  let routes: OpenApiRoute[];
  const publicRoutes: string[] = [];

  beforeAll(async () => {
    system = await startSeededSystem('faults-bad-input');
    routes = await openApiRoutes(system.apps);
    // Public routes (/metrics) take no input a client could get wrong: no token, no id, no body.
    for (const route of routes) {
      if (route.path.includes('{')) continue;
      const res = await (request(system.apps[route.service].getHttpServer()) as unknown as Record<string, (url: string) => request.Test>)[route.method.toLowerCase()](route.path);
      if (res.status !== 401) publicRoutes.push(routeKey(route));
    }
  }, 240_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('refuses each of at least 5,000 generated bad requests with a 4xx problem+json, and no table of any service changes', async () => {
    const targets = routes.filter((r) => !publicRoutes.includes(routeKey(r)));
    const corpus = targets.flatMap((route) => badRequests(route, validRequest(route, system.ids)));
    const reuse = targets.filter((r) => isCommand(r.method)).flatMap((route) => keyReuse(route, validRequest(route, system.ids)));

    const before = await snapshot(system);
    const started = Date.now();
    const outcomes = await runAll(system, corpus, CONCURRENCY);
    for (const sequence of reuse) for (const bad of sequence) outcomes.push(await send(system, bad));
    const seconds = (Date.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 1500)); // anything a request wrongly appended would reach the relay and consumers meanwhile
    const after = await snapshot(system);

    const total = outcomes.length;
    const wrong = outcomes.filter((o) => !refusedProperly(o));
    const count5xx = outcomes.filter((o) => o.status >= 500).length;
    const count2xx = outcomes.filter((o) => o.status < 300).length;
    const count4xx = outcomes.filter((o) => o.status >= 400 && o.status < 500).length;
    const perRoute = new Map(targets.map((r) => [routeKey(r), 0]));
    for (const o of outcomes) perRoute.set(routeKey(o.request.route), (perRoute.get(routeKey(o.request.route)) ?? 0) + 1);
    const thin = [...perRoute].filter(([, n]) => n < MIN_REQUESTS_PER_ROUTE);
    const keyed = outcomes.filter((o) => o.request.headers['Idempotency-Key']).length;

    process.stdout.write(summary(outcomes, targets.length, publicRoutes, seconds, { count2xx, count4xx, count5xx }));
    process.stdout.write(`  fewest bad requests to one route: ${Math.min(...perRoute.values())} (at least ${MIN_REQUESTS_PER_ROUTE} required); state compared over ${Object.keys(before).length} table counts\n`);
    if (wrong.length) process.stdout.write(`\nRequests not refused properly (${wrong.length}), grouped by route, category and answer:\n${grouped(wrong).join('\n')}\n`);
    const changed = stateChanges(before, after, keyed);
    if (changed.length) process.stdout.write(`\nTables changed by refused requests:\n${changed.join('\n')}\n`);

    expect(total).toBeGreaterThanOrEqual(5000);
    expect(count5xx).toBe(0);
    expect(count2xx).toBe(0);
    expect(wrong.map(describe)).toEqual([]);
    // Every refusal names what is wrong in a code of its own, not the generic one a framework falls back to.
    expect(outcomes.filter((o) => o.code === 'HTTP.BAD_REQUEST').map(describe)).toEqual([]);
    expect(thin).toEqual([]);
    expect(changed).toEqual([]);
  }, 300_000);
});

/** The generated bad requests of one route, each a valid request with one thing wrong. */
function badRequests(route: OpenApiRoute, valid: ValidRequest): BadRequest[] {
  const key = routeKey(route);
  const actor = bearer(AGENCIES.justice, ['member', 'coordinator', 'auditor', 'operator']);
  const base = (category: Category, what: string, change: Partial<BadRequest> = {}): BadRequest => ({
    route, category, what, method: route.method, url: withQuery(valid.path, valid.query), headers: { Authorization: actor }, body: asBody(valid.body), ...change,
  });
  const out: BadRequest[] = [];

  // Who is asking: nobody, or a token that proves nothing.
  const now = new Date();
  const wrongKey = [{ kid: KEYS[0].kid, secret: 'another-secret-0123456789abcdef0123456789' }];
  const unknownKid = [{ kid: 'unknown', secret: KEYS[0].secret }];
  const unsigned = sign({ agency: AGENCIES.police, roles: ['operator'], exp: Math.floor(Date.now() / 1000) + 600 }, '', { algorithm: 'none', keyid: KEYS[0].kid, subject: 'x', issuer: 'thihanh' });
  const [header, payload, signature] = bearer(AGENCIES.justice, ['member']).slice(7).split('.');
  const tampered = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), roles: ['operator'] })).toString('base64url')}.${signature}`;
  const tokens: [string, string | undefined][] = [
    ['no Authorization header', undefined],
    ['Basic credentials', 'Basic dXNlcjpwYXNzd29yZA=='],
    ['Bearer without a token', 'Bearer'],
    ['a token that is not a JWT', 'Bearer not-a-token'],
    ['an expired token', bearer(AGENCIES.justice, ['member', 'coordinator', 'operator'], { ttlSeconds: 60, now: new Date(now.getTime() - 3_600_000) })],
    ['a token signed with a wrong key', bearer(AGENCIES.justice, ['member', 'coordinator', 'operator'], { keys: wrongKey })],
    ['a token naming an unknown key', bearer(AGENCIES.justice, ['operator'], { keys: unknownKid })],
    ['an unsigned token (alg none)', `Bearer ${unsigned}`],
    ['a token whose roles were edited', `Bearer ${tampered}`],
  ];
  for (const [what, authorization] of tokens) out.push(base('auth', what, { headers: authorization ? { Authorization: authorization } : {}, status: 401 }));

  // Ids nobody has, or that are not ids at all.
  for (const name of [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
    for (const value of BAD_PATH_IDS) {
      out.push(base('unknown-id', `${name} = ${excerpt(value, 40)}`, { url: withQuery(fillPathWith(route, valid, name, value), valid.query) }));
    }
    out.push(base('unknown-id', `${name} = a lone %`, { url: withQuery(rawPath(route, valid, name, '%'), valid.query) }));
    out.push(base('unknown-id', `${name} = bad percent-encoding`, { url: withQuery(rawPath(route, valid, name, '%E0%A4%A'), valid.query) }));
  }

  // Queries.
  const queries = BAD_QUERIES[key] ?? BAD_AUDIT_QUERIES[route.path] ?? [];
  for (const query of queries) out.push(base('query', `?${excerpt(query, 60)}`, { url: `${valid.path}?${query}` }));
  if (queries.length) out.push(base('query', 'an unknown parameter', { url: withQuery(valid.path, { ...valid.query, unknown: '1' }) }));

  // Conditional requests.
  for (const value of BAD_IF_MATCH) out.push(base('if-match', `If-Match: ${excerpt(value, 30)}`, { headers: { Authorization: actor, 'If-Match': value }, status: 400 }));

  if (isCommand(route.method)) {
    out.push(base('idempotency-key', 'a key of 256 characters', { headers: { Authorization: actor, 'Idempotency-Key': 'k'.repeat(256) }, status: 400 }));
    out.push(base('idempotency-key', 'a key of 10,000 characters', { headers: { Authorization: actor, 'Idempotency-Key': 'k'.repeat(10_000) } }));
  }

  // What the body is made of.
  if (isCommand(route.method) || valid.body) {
    const json = valid.body?.kind === 'json' ? JSON.stringify(valid.body.value) : '{}';
    out.push(base('body-shape', 'malformed JSON', { body: { kind: 'raw', contentType: 'application/json', content: json.slice(0, -1) } }));
    out.push(base('body-shape', 'JSON with a trailing comma', { body: { kind: 'raw', contentType: 'application/json', content: `${json.slice(0, -1)},}` } }));
    for (const literal of ['null', '"text"', '123', 'true']) out.push(base('body-shape', `a JSON ${literal}`, { body: { kind: 'raw', contentType: 'application/json', content: literal } }));
    out.push(base('too-large', `a body over BODY_LIMIT (1 MB)`, { body: { kind: 'raw', contentType: 'application/json', content: `{"a":"${'x'.repeat(OVER_BODY_LIMIT)}"}` }, status: 413 }));
    out.push(base('too-large', `a body over BODY_LIMIT, declared as text`, { body: { kind: 'raw', contentType: 'text/plain', content: 'x'.repeat(OVER_BODY_LIMIT) } }));
    out.push(base('invalid-utf8', 'an invalid UTF-8 byte sequence in a JSON body', { body: { kind: 'raw', contentType: 'application/json', content: invalidUtf8(json) }, status: 400 }));
    out.push(base('invalid-utf8', 'a JSON body declared as UTF-16', { body: { kind: 'raw', contentType: 'application/json; charset=utf-16', content: json } }));
    out.push(base('invalid-utf8', 'a JSON body in an unknown charset', { body: { kind: 'raw', contentType: 'application/json; charset=klingon', content: json } }));
  }

  if (valid.body?.kind === 'json') {
    const value = valid.body.value;
    const text = JSON.stringify(value);
    out.push(base('content-type', 'JSON sent as text/plain', { body: { kind: 'raw', contentType: 'text/plain', content: text }, status: 415 }));
    out.push(base('content-type', 'JSON sent with no Content-Type', { body: { kind: 'raw', content: Buffer.from(text) }, status: 415 }));
    out.push(base('content-type', 'XML', { body: { kind: 'raw', contentType: 'application/xml', content: `<?xml version="1.0"?><request>${SCRIPT}</request>` }, status: 415 }));
    out.push(base('content-type', 'the fields as multipart/form-data', { body: { kind: 'multipart', fields: flatFields(value), files: [] }, status: 415 }));
    out.push(base('content-type', 'the fields as a URL-encoded form', { body: { kind: 'raw', contentType: 'application/x-www-form-urlencoded', content: new URLSearchParams(flatFields(value)).toString() }, status: 415 }));
    out.push(base('body-shape', 'a JSON array of the body', { body: { kind: 'json', value: [value] } }));
    out.push(base('body-shape', 'a prototype-polluting __proto__', { body: { kind: 'raw', contentType: 'application/json', content: `${text.slice(0, -1)}${text.length > 2 ? ',' : ''}"__proto__":{"isAdmin":true}}` } }));
    out.push(base('body-shape', 'a nested constructor.prototype', { body: { kind: 'json', value: { ...value, constructor: { prototype: { isAdmin: true } } } } }));
    out.push(base('body-shape', 'arrays nested 5,000 deep', { body: { kind: 'raw', contentType: 'application/json', content: `${text.slice(0, -1)}${text.length > 2 ? ',' : ''}"deep":${'['.repeat(5000)}${']'.repeat(5000)}}` } }));
    const schema = resolveSchema(route.document, route.operation.requestBody?.content['application/json']?.schema);
    for (const [category, what, body] of fieldMutations(route, schema, value, '')) out.push(base(category, what, { body: { kind: 'json', value: body } }));
  }

  if (valid.body?.kind === 'multipart') {
    const { fields, file } = valid.body;
    const files = [{ field: 'file', ...file }];
    const multipart = (what: string, category: Category, f: Record<string, string>, fs: { field: string; name: string; content: Buffer }[], status?: number) =>
      out.push(base(category, what, { body: { kind: 'multipart', fields: f, files: fs }, status }));
    multipart('no file', 'missing-field', fields, []);
    multipart('the file under another field name', 'unknown-field', fields, [{ ...files[0], field: 'document' }]);
    multipart('two files', 'unknown-field', fields, [...files, { ...files[0], name: 'second.txt' }]);
    multipart('an unknown field', 'unknown-field', { ...fields, unknown: 'x' }, files);
    multipart(`a file over the route's limit`, 'too-large', fields, [{ ...files[0], content: Buffer.alloc((UPLOAD_LIMITS[key] ?? 25 * 1024 * 1024) + 1, 0x20) }], 413);
    out.push(base('content-type', 'JSON where multipart is expected', { body: { kind: 'json', value: { ...fields, file: file.content.toString('base64') } } }));
    out.push(base('content-type', 'text/plain where multipart is expected', { body: { kind: 'raw', contentType: 'text/plain', content: file.content } }));
    out.push(base('content-type', 'multipart without a boundary', { body: { kind: 'raw', contentType: 'multipart/form-data', content: file.content } }));
    out.push(base('content-type', 'truncated multipart', { body: { kind: 'raw', contentType: 'multipart/form-data; boundary=XYZ', content: `--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nabc` } }));
    if (PARSED_UPLOADS.has(key)) {
      multipart('an empty file', 'bad-file', fields, [{ ...files[0], content: Buffer.alloc(0) }]);
      multipart('random bytes named .docx', 'bad-file', fields, [{ ...files[0], name: 'x.docx', content: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)) }]);
      multipart('a zip that is not a document, named .docx', 'bad-file', fields, [{ ...files[0], name: 'x.docx', content: Buffer.from('504b0304140000000000', 'hex') }]);
      multipart('a PDF', 'bad-file', fields, [{ ...files[0], name: 'x.pdf', content: Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj<<>>endobj\n%%EOF') }]);
      multipart('a .txt in Latin-1, not UTF-8', 'bad-file', fields, [{ ...files[0], name: 'x.txt', content: Buffer.from('Kế hoạch'.normalize('NFD'), 'latin1') }]);
      multipart('a text file of invalid UTF-8', 'bad-file', fields, [{ ...files[0], name: 'x.txt', content: Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xff, 0xfe]) }]);
    }
    const schema = resolveSchema(route.document, route.operation.requestBody?.content['multipart/form-data']?.schema);
    for (const [name, property] of Object.entries(schema?.properties ?? {})) {
      if (name === 'file' || property.type !== 'string') continue;
      const values = isDateLike(name) ? IMPOSSIBLE_DATES.filter(Boolean) : [HUGE_STRING];
      for (const v of values) multipart(`${name} = ${excerpt(v, 30)}`, isDateLike(name) ? 'impossible-date' : 'huge-string', { ...fields, [name]: v }, files);
    }
  }
  return out;
}

/**
 * A refused request kept under an Idempotency-Key, then the same key with another request (422), then
 * the first again (its refusal replayed). What makes the first one refused and kept: an unknown id in
 * the path, else an unknown field in the body; a route with neither gets only the over-long key.
 */
function keyReuse(route: OpenApiRoute, valid: ValidRequest): BadRequest[][] {
  const key = `faults-${randomUUID()}`;
  const actor = bearer(AGENCIES.justice, ['member', 'coordinator', 'operator']);
  const param = /\{(\w+)\}/.exec(route.path)?.[1];
  const make = (what: string, change: Partial<BadRequest>, status?: number): BadRequest => ({
    route, category: 'idempotency-key', what, method: route.method, url: withQuery(valid.path, valid.query),
    headers: { Authorization: actor, 'Idempotency-Key': key }, body: asBody(valid.body), status, ...change,
  });
  let first: Partial<BadRequest>;
  let second: Partial<BadRequest>;
  if (param) {
    [first, second] = [randomUUID(), randomUUID()].map((id) => ({ url: withQuery(fillPathWith(route, valid, param, id), valid.query) }));
  } else if (valid.body?.kind === 'json') {
    const { value } = valid.body;
    [first, second] = [1, 2].map((n) => ({ body: { kind: 'json' as const, value: { ...value, unknownField: n } } }));
  } else if (valid.body?.kind === 'multipart') {
    const { fields, file } = valid.body;
    [first, second] = ['1', '2'].map((n) => ({ body: { kind: 'multipart' as const, fields: { ...fields, unknownField: n }, files: [{ field: 'file', ...file }] } }));
  } else {
    return [];
  }
  // Multipart bodies are read after the idempotency check, so they are not part of its fingerprint: another
  // upload under a used key replays the first answer (a refusal here) rather than 422. Known, see the report of issue 9.
  const reused = !param && valid.body?.kind === 'multipart' ? undefined : 422;
  return [[make('first use, refused', first), make('the same key, another request', second, reused), make('the same key and request again', first)]];
}

/** One property wrong at a time: missing, unknown, of the wrong type, an impossible date, a bad id, an unknown enum value, too long. */
function fieldMutations(route: OpenApiRoute, schema: OpenApiSchema | undefined, value: Record<string, unknown>, prefix: string): [Category, string, Record<string, unknown>][] {
  const out: [Category, string, Record<string, unknown>][] = [];
  const put = (category: Category, what: string, body: Record<string, unknown>) => out.push([category, `${prefix}${what}`, body]);
  out.push(['unknown-field', `${prefix}unknownField`, { ...value, unknownField: 'x' }]);
  if (!schema?.properties) return out;
  for (const [name, raw] of Object.entries(schema.properties)) {
    const property = resolveSchema(route.document, raw) ?? {};
    const required = schema.required?.includes(name) ?? false;
    const current = value[name];
    const set = (category: Category, what: string, v: unknown) => put(category, `${name} ${what}`, { ...value, [name]: v });
    if (required) {
      const { [name]: _dropped, ...rest } = value;
      put('missing-field', `${name} missing`, rest);
      set('wrong-type', 'null', null);
    }
    const type = property.type ?? (property.properties ? 'object' : undefined);
    if (property.enum) {
      for (const v of ['DROP', '', String(property.enum[0]).toUpperCase() === property.enum[0] ? 'x' : String(property.enum[0]).toUpperCase(), 1]) set('bad-enum', `= ${JSON.stringify(v)}`, v);
    } else if (type === 'string') {
      for (const v of [12345, true, [], {}]) set('wrong-type', `= ${JSON.stringify(v)}`, v);
      if (isDateLike(name)) for (const v of IMPOSSIBLE_DATES) set('impossible-date', `= ${JSON.stringify(v)}`, v);
      else if (isIdLike(name)) for (const v of BAD_IDS) set('bad-id', `= ${excerpt(JSON.stringify(v), 40)}`, v);
      set('huge-string', `of ${HUGE_STRING.length.toLocaleString('en')} characters`, HUGE_STRING);
    } else if (type === 'number' || type === 'integer') {
      for (const v of ['abc', '50', -1, 1e300, true, [], {}]) set('wrong-type', `= ${JSON.stringify(v)}`, v);
    } else if (type === 'boolean') {
      for (const v of ['yes', 1, []]) set('wrong-type', `= ${JSON.stringify(v)}`, v);
    } else if (type === 'array') {
      for (const v of ['x', {}, 5]) set('wrong-type', `= ${JSON.stringify(v)}`, v);
      const items = resolveSchema(route.document, property.items) ?? {};
      const itemType = items.type ?? (items.properties ? 'object' : undefined);
      set('wrong-type', 'with an item of the wrong type', itemType === 'string' ? [12345] : ['x']);
      if (itemType === 'string' && isIdLike(name)) for (const v of BAD_IDS) set('bad-id', `with the item ${excerpt(JSON.stringify(v), 40)}`, [v]);
      const sample = Array.isArray(current) && current.length ? current[0] : itemType === 'string' ? 'x' : {};
      set('huge-array', 'of 10,000 items', Array.from({ length: 10_000 }, () => sample));
      if (itemType === 'object' && Array.isArray(current) && current.length && typeof current[0] === 'object') {
        for (const [category, what, item] of fieldMutations(route, items, current[0] as Record<string, unknown>, `${prefix}${name}[0].`)) {
          out.push([category, what, { ...value, [name]: [item, ...current.slice(1)] }]);
        }
      }
    } else if (type === 'object') {
      for (const v of ['x', 5, [], [current ?? {}]]) set('wrong-type', `= ${excerpt(JSON.stringify(v), 40)}`, v);
      if (current && typeof current === 'object' && !Array.isArray(current)) {
        for (const [category, what, inner] of fieldMutations(route, property, current as Record<string, unknown>, `${prefix}${name}.`)) {
          out.push([category, what, { ...value, [name]: inner }]);
        }
      }
    }
  }
  return out;
}

async function runAll(system: SeededSystem, corpus: BadRequest[], concurrency: number): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(corpus.length);
  let next = 0;
  const worker = async () => {
    while (next < corpus.length) {
      const i = next++;
      outcomes[i] = await send(system, corpus[i]);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcomes;
}

async function send(system: SeededSystem, bad: BadRequest): Promise<Outcome> {
  const agent = request(system.apps[bad.route.service].getHttpServer()) as unknown as Record<string, (url: string) => request.Test>;
  let test = agent[bad.method.toLowerCase()](bad.url);
  for (const [name, value] of Object.entries(bad.headers)) test = test.set(name, value);
  const body = bad.body;
  if (body?.kind === 'json') test = test.set('Content-Type', 'application/json').send(JSON.stringify(body.value));
  if (body?.kind === 'raw') {
    if (body.contentType) test = test.set('Content-Type', body.contentType);
    test = test.serialize((raw: unknown) => raw as string).send(body.content); // the bytes as they are, never re-encoded as JSON
  }
  if (body?.kind === 'multipart') {
    for (const [name, value] of Object.entries(body.fields)) test = test.field(name, value);
    for (const file of body.files) test = test.attach(file.field, file.content, file.name);
    if (!Object.keys(body.fields).length && !body.files.length) test = test.field('empty', '');
  }
  const started = Date.now();
  try {
    const res = await test;
    const problem = (res.body ?? {}) as { code?: unknown; detail?: unknown };
    return { request: bad, ms: Date.now() - started, status: res.status, contentType: String(res.headers['content-type'] ?? ''), code: problem.code, detail: problem.detail, text: res.text ?? '' };
  } catch (error) {
    // The server hung up (e.g. mid-upload of a body over the limit): no answer at all is not a 4xx.
    return { request: bad, ms: Date.now() - started, status: 0, contentType: '', code: undefined, detail: undefined, text: `no response: ${(error as Error).message}` };
  }
}

function refusedProperly(o: Outcome): boolean {
  return (
    o.status >= 400 && o.status < 500 &&
    (o.request.status === undefined || o.status === o.request.status) &&
    o.contentType.startsWith('application/problem+json') &&
    typeof o.code === 'string' && /^[A-Z][A-Z0-9_]*(\.[A-Z0-9_]+)+$/.test(o.code) &&
    typeof o.detail === 'string' && o.detail.length > 0
  );
}

function describe(o: Outcome): string {
  const r = o.request;
  const body = !r.body ? '' : r.body.kind === 'json' ? JSON.stringify(r.body.value) : r.body.kind === 'raw' ? `(${r.body.contentType ?? 'no type'}) ${String(r.body.content)}` : `(multipart) ${JSON.stringify(r.body.fields)} files ${r.body.files.map((f) => `${f.field}:${f.name}:${f.content.length}B`).join(',')}`;
  return `  [${r.route.service}] ${r.method} ${excerpt(r.url, 140)} — ${r.category}: ${r.what}${r.status ? ` (expected ${r.status})` : ''}\n      body ${excerpt(body, 160)}\n      → ${o.status} ${o.contentType.split(';')[0]} ${excerpt(o.text, 300)}`;
}

/** The offending requests by route, category and answer, each group with its count and one request in full. */
function grouped(wrong: Outcome[]): string[] {
  const groups = new Map<string, Outcome[]>();
  for (const o of wrong) {
    const key = `${routeKey(o.request.route)} — ${o.request.category} → ${o.status} ${String(o.code ?? o.contentType.split(';')[0])}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  return [...groups].map(([key, list]) => `${list.length} × ${key}: ${list.slice(0, 6).map((o) => o.request.what).join('; ')}\n${describe(list[0])}`);
}

function summary(outcomes: Outcome[], routeCount: number, publicRoutes: string[], seconds: number, counts: { count2xx: number; count4xx: number; count5xx: number }): string {
  const by = (key: (o: Outcome) => string) => {
    const map = new Map<string, number>();
    for (const o of outcomes) map.set(key(o), (map.get(key(o)) ?? 0) + 1);
    return [...map].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
  };
  return [
    `\nBad-input corpus: ${outcomes.length} requests to ${routeCount} routes in ${seconds.toFixed(1)} s (public, not targeted: ${publicRoutes.join(', ') || 'none'})`,
    `  2xx ${counts.count2xx}, 4xx ${counts.count4xx}, 5xx ${counts.count5xx}, no answer ${outcomes.filter((o) => o.status === 0).length}`,
    `  by service: ${by((o) => o.request.route.service)}`,
    `  by category: ${by((o) => o.request.category)}`,
    `  time by category (ms, summed over concurrent requests): ${[...outcomes.reduce((m, o) => m.set(o.request.category, (m.get(o.request.category) ?? 0) + o.ms), new Map<string, number>())].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`,
    `  by status: ${by((o) => String(o.status))}`,
    `  codes: ${by((o) => String(o.code))}`,
    // Where the refusals still carry only the generic code (Nest's own pipes and parsers): candidates for a code of their own.
    `  generic HTTP.BAD_REQUEST: ${[...outcomes.filter((o) => o.code === 'HTTP.BAD_REQUEST').reduce((m, o) => m.set(`${o.request.category}: ${String(o.detail).slice(0, 60)}`, (m.get(`${o.request.category}: ${String(o.detail).slice(0, 60)}`) ?? 0) + 1), new Map<string, number>())].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, n]) => `${k} (${n})`).join('; ') || 'none'}`,
    '',
  ].join('\n');
}

async function snapshot(system: SeededSystem): Promise<Record<string, number>> {
  const all: Record<string, number> = {};
  for (const service of SERVICES) for (const [table, n] of Object.entries(await tableCounts(system.databases[service]))) all[`${service}.${table}`] = n;
  return all;
}

/** Tables whose rows changed; kept idempotent answers may only grow by the requests that carried a key. */
function stateChanges(before: Record<string, number>, after: Record<string, number>, keyed: number): string[] {
  const changes: string[] = [];
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const table = name.slice(name.indexOf('.') + 1);
    if (table === 'http_idempotency') {
      if (after[name] - before[name] > keyed) changes.push(`  ${name}: ${before[name]} → ${after[name]} (more than the ${keyed} keyed requests)`);
    } else if (!SELF_CHANGING_TABLES.has(table) && before[name] !== after[name]) changes.push(`  ${name}: ${before[name]} → ${after[name]}`);
  }
  return changes;
}

function asBody(body: ValidBody | undefined): Body | undefined {
  if (!body) return undefined;
  return body.kind === 'json' ? body : { kind: 'multipart', fields: body.fields, files: [{ field: 'file', ...body.file }] };
}

function withQuery(path: string, query: Record<string, string>): string {
  const q = new URLSearchParams(query).toString();
  return q ? `${path}?${q}` : path;
}

function fillPathWith(route: OpenApiRoute, valid: ValidRequest, name: string, value: string): string {
  const values: Record<string, string> = { ...Object.fromEntries(zipParams(route.path, valid.path)), [name]: value };
  return route.path.replace(/\{(\w+)\}/g, (_, param: string) => encodeURIComponent(values[param]));
}

/** The path with one parameter left as raw text (not percent-encoded). */
function rawPath(route: OpenApiRoute, valid: ValidRequest, name: string, raw: string): string {
  const marker = 'RAWPARAMMARKER';
  return fillPathWith(route, valid, name, marker).replace(marker, raw);
}

/** Path parameter values of a filled path, decoded. */
function zipParams(template: string, filled: string): [string, string][] {
  const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\\?\}/g, '([^/]*)')}$`);
  const values = pattern.exec(filled)?.slice(1) ?? [];
  return names.map((n, i) => [n, decodeURIComponent(values[i] ?? '')]);
}

function flatFields(value: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

/** The JSON with its first string value's first character replaced by bytes that are not UTF-8. */
function invalidUtf8(json: string): Buffer {
  const bytes = Buffer.from(json.length > 2 ? json : '{"text":"x"}');
  const quote = bytes.indexOf('":"');
  const at = quote >= 0 ? quote + 3 : 2;
  return Buffer.concat([bytes.subarray(0, at), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), bytes.subarray(at)]);
}

function excerpt(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max)}…(${flat.length})` : flat;
}

