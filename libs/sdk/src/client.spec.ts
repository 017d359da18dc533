import { HttpTransport, ThihanhApiError } from './client';

const baseUrls = { planRegistry: 'http://x/plan-registry', taskAssignment: 'http://x/cases/', decreeConsultation: 'http://x/dc', reporting: 'http://x/r' };

function fakeFetch(responses: (() => Response)[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const next = responses.shift();
    if (!next) throw new Error('no more responses');
    return next();
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}
const json = (status: number, body: unknown, type = 'application/json') => () => new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

describe('the SDK’s transport', () => {
  it('retries a command that met 503 with the same Idempotency-Key, and returns the service’s JSON', async () => {
    const { fetch, calls } = fakeFetch([json(503, {}), () => { throw new TypeError('socket hang up'); }, json(201, { deliverableId: 'd1' })]);
    const http = new HttpTransport({ baseUrls, token: 'T', fetch, backoffMs: 1 });
    const result = await http.request('taskAssignment', 'POST', '/cases/{id}/deliverables', { path: { id: 'a b' }, body: { title: 'Báo cáo' } });
    expect(result).toEqual({ deliverableId: 'd1' });
    expect(calls.map((c) => c.url)).toEqual(Array(3).fill('http://x/cases/cases/a%20b/deliverables'));
    const keys = calls.map((c) => (c.init.headers as Record<string, string>)['idempotency-key']);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect((calls[0].init.headers as Record<string, string>).authorization).toBe('Bearer T');
    expect(calls[0].init.body).toBe('{"title":"Báo cáo"}');
  });

  it('turns problem+json into a typed error with the service’s code, and does not retry a refusal', async () => {
    const { fetch, calls } = fakeFetch([json(409, { code: 'CONSULTATION.DEADLINE_PASSED', title: 'Conflict', detail: 'Comments were due', details: { deadline: '2026-06-10' } }, 'application/problem+json')]);
    const http = new HttpTransport({ baseUrls, token: () => 'T', fetch, backoffMs: 1 });
    const error = await http.request('decreeConsultation', 'POST', '/consultations/{id}/comments', { path: { id: 'c' }, body: { text: 'x' } }).catch((e) => e);
    expect(error).toBeInstanceOf(ThihanhApiError);
    expect(error).toMatchObject({ status: 409, code: 'CONSULTATION.DEADLINE_PASSED', details: { deadline: '2026-06-10' } });
    expect(calls).toHaveLength(1);
  });

  it('sends no Idempotency-Key on reads, and gives up after its retries', async () => {
    const { fetch, calls } = fakeFetch([json(503, {}), json(503, {}), json(503, { code: 'HTTP.UNAVAILABLE' }, 'application/problem+json')]);
    const http = new HttpTransport({ baseUrls, token: 'T', fetch, retries: 2, backoffMs: 1 });
    const error = await http.request('reporting', 'GET', '/rounds', { query: { planId: 'p', status: undefined } }).catch((e) => e);
    expect(error).toMatchObject({ status: 503, code: 'HTTP.UNAVAILABLE' });
    expect(calls).toHaveLength(3);
    expect(calls[0].url).toBe('http://x/r/rounds?planId=p');
    expect((calls[0].init.headers as Record<string, string>)['idempotency-key']).toBeUndefined();
  });
});
