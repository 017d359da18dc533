import { Body, Controller, DynamicModule, Get, Inject, INestApplication, Module, Param, Post, Res, UploadedFile } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AuthKey, AuthModule, Public, Role, Roles, issueToken } from '@thihanh/auth';
import {
  ConcurrencyError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  PreconditionFailedError,
  RuleViolationError,
  UnavailableError,
} from '@thihanh/domain';
import { Database, PgDatabase } from '@thihanh/event-store';
import { describeWithPostgres, useTestDatabase } from '@thihanh/testing';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import type { Response } from 'express';
import type { Pool, PoolClient, QueryConfig } from 'pg';
import request from 'supertest';
import { configureHttpApp } from './configure-http-app';
import { HttpConventionsModule } from './http-conventions.module';
import { HTTP_MIGRATIONS } from './http.migrations';
import { Upload } from './idempotency.interceptor';
import { HTTP_DATABASE } from './idempotency.store';
import { IfMatchVersion, assertIfMatch, setVersionHeaders } from './version-headers';

const KEYS: AuthKey[] = [{ kid: 'test', secret: 't'.repeat(40) }];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class IncrementCounter {
  @IsInt() @Min(1) by!: number;
  @IsOptional() @IsInt() @Max(2000) delayMs?: number;
  @IsOptional() @IsString() note?: string;
}

const FAILURES: Record<string, () => Error> = {
  invalid: () => new InvalidInputError('TEST.INVALID', 'Invalid'),
  forbidden: () => new ForbiddenError('TEST.FORBIDDEN', 'Not yours'),
  not_found: () => new NotFoundError('TEST.NOT_FOUND', 'No such thing'),
  rule: () => new RuleViolationError('TEST.RULE', 'Not now'),
  concurrency: () => new ConcurrencyError('counter-c', 1, 2),
  precondition: () => new PreconditionFailedError('CONCURRENCY.PRECONDITION_FAILED', 'Stale'),
  unavailable: () => new UnavailableError('TEST.UNAVAILABLE', 'Down', { retryAfterSeconds: 2 }),
  bug: () => new Error('connect ECONNREFUSED postgres://postgres:hunter2@10.0.0.5'),
};

let flakyFailuresLeft = 0;

/**
 * Cuts the connection at chosen statements of a transaction, as a network or a restarting server
 * does: `afterCommit` lets the next COMMIT go through and then loses its answer (the client cannot
 * know it committed); `atKeepingAnswer` loses the statement that keeps an Idempotency-Key's answer.
 */
const cuts = { afterCommit: 0, atKeepingAnswer: 0 };
const lostConnection = () => Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });

function withCuts(pool: Pool): Pool {
  const cutting = (client: PoolClient) =>
    new Proxy(client, {
      get(target, property) {
        if (property === 'query') {
          return async (config: string | QueryConfig, values?: unknown[]) => {
            const text = typeof config === 'string' ? config : config.text;
            if (text === 'COMMIT' && cuts.afterCommit > 0) {
              cuts.afterCommit -= 1;
              await target.query(config);
              throw lostConnection();
            }
            if (text.startsWith('UPDATE http_idempotency SET status') && cuts.atKeepingAnswer > 0) {
              cuts.atKeepingAnswer -= 1;
              throw lostConnection();
            }
            return target.query(config as QueryConfig, values);
          };
        }
        const value = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  return new Proxy(pool, {
    get(target, property) {
      if (property === 'connect') return async () => cutting(await target.connect());
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

@Controller()
class CountersController {
  constructor(@Inject(HTTP_DATABASE) private readonly db: Database) {}

  @Public()
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  // Auditor is listed on purpose: the guard must still refuse an auditor's write.
  @Roles('member', 'coordinator', 'auditor')
  @Post('counters/:id/increments')
  async increment(
    @Param('id') id: string,
    @Body() body: IncrementCounter,
    @IfMatchVersion() ifMatch: number | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { rows } = await this.db.query<{ version: number }>('SELECT version FROM counters WHERE id = $1', [id]);
    if (!rows[0]) throw new NotFoundError('COUNTER.NOT_FOUND', `Counter ${id} does not exist`);
    assertIfMatch(ifMatch, rows[0].version, 'counter');
    await sleep(body.delayMs ?? 0);
    const updated = await this.db.query<{ value: number; version: number }>(
      'UPDATE counters SET value = value + $2, version = version + 1 WHERE id = $1 RETURNING value, version',
      [id, body.by],
    );
    setVersionHeaders(res, updated.rows[0].version);
    res.location(`/counters/${id}`);
    return updated.rows[0];
  }

  @Roles('member')
  @Post('counters/:id/flaky-increments')
  async flaky(@Param('id') id: string) {
    await this.db.query('UPDATE counters SET value = value + 1 WHERE id = $1', [id]);
    if (flakyFailuresLeft-- > 0) throw new UnavailableError('TEST.UNAVAILABLE', 'Down after writing');
    return { ok: true };
  }

  @Roles('member')
  @Post('counters/:id/uploads')
  @Upload('file', 1024)
  async upload(@Param('id') id: string, @UploadedFile() file: { buffer: Buffer } | undefined) {
    const { rows } = await this.db.query<{ value: number }>('UPDATE counters SET value = value + $2 WHERE id = $1 RETURNING value', [id, file?.buffer.length ?? 0]);
    return rows[0];
  }

  @Roles('member')
  @Post('counters/:id/refused-increments')
  async refused(@Param('id') id: string) {
    await this.db.query('UPDATE counters SET value = value + 1 WHERE id = $1', [id]);
    throw new RuleViolationError('TEST.REFUSED', 'Refused after writing');
  }

  @Roles('member')
  @Post('failures/:kind')
  fail(@Param('kind') kind: string) {
    throw FAILURES[kind]();
  }
}

function testDatabaseModule(db: Database): DynamicModule {
  @Module({})
  class TestDatabaseModule {}
  return { module: TestDatabaseModule, global: true, providers: [{ provide: HTTP_DATABASE, useValue: db }], exports: [HTTP_DATABASE] };
}

function token(roles: Role[], overrides: { clientId?: string; keys?: AuthKey[]; issuedAt?: Date } = {}): string {
  const { clientId = 'client-a', keys = KEYS, issuedAt } = overrides;
  return issueToken(keys, { agencyId: 'son-la.so-tu-phap', clientId, roles, ttlSeconds: 600 }, issuedAt);
}

describeWithPostgres('HTTP conventions', () => {
  const database = useTestDatabase(HTTP_MIGRATIONS);
  let app: INestApplication;
  let counter = 0;
  const http = () => request(app.getHttpServer());

  async function newCounter(): Promise<string> {
    counter += 1;
    await database.current.pool.query('INSERT INTO counters (id) VALUES ($1)', [`c${counter}`]);
    return `c${counter}`;
  }
  const valueOf = async (id: string) =>
    (await database.current.pool.query('SELECT value FROM counters WHERE id = $1', [id])).rows[0].value as number;
  const increment = (id: string, bearer: string | undefined, body: object = { by: 1 }) => {
    const req = http().post(`/counters/${id}/increments`);
    if (bearer) req.set('Authorization', `Bearer ${bearer}`);
    return req.send(body);
  };
  const member = token(['member']);

  beforeAll(async () => {
    await database.current.pool.query(
      'CREATE TABLE counters (id text PRIMARY KEY, value integer NOT NULL DEFAULT 0, version integer NOT NULL DEFAULT 0)',
    );
    const moduleRef = await Test.createTestingModule({
      imports: [testDatabaseModule(new PgDatabase(withCuts(database.current.pool))), AuthModule.forRoot({ keys: KEYS }), HttpConventionsModule],
      controllers: [CountersController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    configureHttpApp(app, { title: 'Counters', version: '1', bodyLimit: '1kb' });
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
  });

  describe('authentication and roles', () => {
    it('refuses missing, malformed, expired and forged tokens with 401 problem+json and changes nothing', async () => {
      const id = await newCounter();
      const cases: [string | undefined, string][] = [
        [undefined, 'AUTH.UNAUTHENTICATED'],
        ['not.a.jwt', 'AUTH.UNAUTHENTICATED'],
        [token(['member'], { issuedAt: new Date(Date.now() - 3600_000) }), 'AUTH.TOKEN_EXPIRED'],
        [token(['member'], { keys: [{ kid: 'test', secret: 'f'.repeat(40) }] }), 'AUTH.UNAUTHENTICATED'],
      ];
      for (const [bearer, code] of cases) {
        const res = await increment(id, bearer);
        expect(res.status).toBe(401);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.headers['www-authenticate']).toBe('Bearer');
        expect(res.body).toMatchObject({ status: 401, code, instance: `/counters/${id}/increments` });
      }
      expect(await valueOf(id)).toBe(0);
    });

    it('refuses a caller without an accepted role with 403, operator included', async () => {
      const id = await newCounter();
      const res = await increment(id, token(['operator']));
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'AUTH.FORBIDDEN', details: { accepted: ['member', 'coordinator', 'auditor'] } });
      expect(await valueOf(id)).toBe(0);
    });

    it('never lets an auditor-only caller write, even on a route that lists auditor', async () => {
      const id = await newCounter();
      const res = await increment(id, token(['auditor']));
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('AUTH.FORBIDDEN');
      expect(await valueOf(id)).toBe(0);
    });

    it('answers a public route without a token', async () => {
      await http().get('/health').expect(200, { status: 'ok' });
    });
  });

  describe('input', () => {
    it('rejects invalid input with 400 VALIDATION.FAILED naming each field, unknown properties included', async () => {
      const id = await newCounter();
      const res = await increment(id, member, { by: 0, colour: 'red' });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('VALIDATION.FAILED');
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { property: 'by', constraints: expect.objectContaining({ min: expect.any(String) }) },
          { property: 'colour', constraints: { whitelistValidation: expect.any(String) } },
        ]),
      );
      expect(await valueOf(id)).toBe(0);
    });

    it('rejects malformed JSON with 400 HTTP.MALFORMED_JSON', async () => {
      const id = await newCounter();
      const res = await http()
        .post(`/counters/${id}/increments`)
        .set('Authorization', `Bearer ${member}`)
        .set('Content-Type', 'application/json')
        .send('{"by": ');
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('HTTP.MALFORMED_JSON');
    });

    it('rejects a body above the limit with 413 and changes nothing', async () => {
      const id = await newCounter();
      const res = await increment(id, member, { by: 1, note: 'x'.repeat(2000) });
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ status: 413, code: 'HTTP.PAYLOAD_TOO_LARGE' });
      expect(await valueOf(id)).toBe(0);
    });

    it('answers an unknown route with 404 HTTP.NOT_FOUND', async () => {
      const res = await http().get('/nowhere');
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'HTTP.NOT_FOUND', instance: '/nowhere' });
    });
  });

  describe('errors', () => {
    it.each([
      ['invalid', 400, 'TEST.INVALID'],
      ['forbidden', 403, 'TEST.FORBIDDEN'],
      ['not_found', 404, 'TEST.NOT_FOUND'],
      ['rule', 409, 'TEST.RULE'],
      ['concurrency', 409, 'CONCURRENCY.CONFLICT'],
      ['precondition', 412, 'CONCURRENCY.PRECONDITION_FAILED'],
      ['unavailable', 503, 'TEST.UNAVAILABLE'],
    ])('maps a %s domain error to %i with its code', async (kind, status, code) => {
      const res = await http().post(`/failures/${kind}`).set('Authorization', `Bearer ${member}`).set('X-Correlation-Id', 'corr-1');
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ type: `urn:thihanh:problem:${code}`, status, code, correlationId: 'corr-1', instance: `/failures/${kind}` });
      if (status === 503) expect(res.headers['retry-after']).toBe('2');
    });

    it('answers an unexpected error with 500 INTERNAL and no detail of it', async () => {
      const res = await http().post('/failures/bug').set('Authorization', `Bearer ${member}`);
      expect(res.status).toBe(500);
      expect(res.body).toMatchObject({ code: 'INTERNAL', detail: 'An unexpected error occurred' });
      expect(res.text).not.toMatch(/hunter2|ECONNREFUSED|at /);
    });
  });

  describe('Idempotency-Key', () => {
    const withKey = (id: string, key: string, body: object = { by: 1 }, bearer = member) =>
      increment(id, bearer, body).set('Idempotency-Key', key);

    it('executes a command once per key and replays the first response', async () => {
      const id = await newCounter();
      const first = await withKey(id, 'k-once');
      const retry = await withKey(id, 'k-once');
      expect(first.status).toBe(201);
      expect(first.headers['idempotency-replayed']).toBeUndefined();
      expect(retry.status).toBe(201);
      expect(retry.headers['idempotency-replayed']).toBe('true');
      expect(retry.body).toEqual(first.body);
      expect(retry.headers['etag']).toBe('"1"');
      expect(retry.headers['location']).toBe(`/counters/${id}`);
      expect(await valueOf(id)).toBe(1);
    });

    it('executes once when two requests with the same key arrive together', async () => {
      const id = await newCounter();
      const body = { by: 1, delayMs: 2000 }; // long enough that the second claim always meets the first still running
      const results = await Promise.all([withKey(id, 'k-race', body), withKey(id, 'k-race', body)]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(results.find((r) => r.status === 409)!.body.code).toBe('IDEMPOTENCY.IN_PROGRESS');
      const later = await withKey(id, 'k-race', body);
      expect(later.headers['idempotency-replayed']).toBe('true');
      expect(await valueOf(id)).toBe(1);
    });

    it('refuses the same key with another body with 422 and executes nothing', async () => {
      const id = await newCounter();
      await withKey(id, 'k-reuse', { by: 1 }).expect(201);
      const res = await withKey(id, 'k-reuse', { by: 5 });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('IDEMPOTENCY.KEY_REUSED');
      expect(await valueOf(id)).toBe(1);
    });

    it('keeps the keys of different clients apart', async () => {
      const id = await newCounter();
      await withKey(id, 'k-shared').expect(201);
      const other = await withKey(id, 'k-shared', { by: 1 }, token(['member'], { clientId: 'client-b' }));
      expect(other.status).toBe(201);
      expect(other.headers['idempotency-replayed']).toBeUndefined();
      expect(await valueOf(id)).toBe(2);
    });

    it('replays a 4xx answer as problem+json without executing again', async () => {
      const first = await http().post('/failures/rule').set('Authorization', `Bearer ${member}`).set('Idempotency-Key', 'k-rule');
      const retry = await http().post('/failures/rule').set('Authorization', `Bearer ${member}`).set('Idempotency-Key', 'k-rule');
      expect(retry.status).toBe(409);
      expect(retry.headers['idempotency-replayed']).toBe('true');
      expect(retry.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(retry.body).toEqual(first.body);
    });

    it('forgets the key after a 5xx and undoes what the failed run wrote, so the retry executes once', async () => {
      const id = await newCounter();
      flakyFailuresLeft = 1;
      const send = () => http().post(`/counters/${id}/flaky-increments`).set('Authorization', `Bearer ${member}`).set('Idempotency-Key', 'k-flaky');
      expect((await send()).status).toBe(503);
      expect(await valueOf(id)).toBe(0);
      const retry = await send();
      expect(retry.status).toBe(201);
      expect(retry.headers['idempotency-replayed']).toBeUndefined();
      expect(await valueOf(id)).toBe(1);
    });

    it('replays the answer when the connection was lost after the command committed, and runs nothing again', async () => {
      const id = await newCounter();
      cuts.afterCommit = 1;
      const lost = await withKey(id, 'k-commit-cut');
      expect(lost.status).toBe(503);
      expect(lost.body.code).toBe('DATABASE.UNAVAILABLE');
      expect(await valueOf(id)).toBe(1); // it did commit; the client could not know
      const retry = await withKey(id, 'k-commit-cut');
      expect(retry.status).toBe(201);
      expect(retry.headers['idempotency-replayed']).toBe('true');
      expect(retry.body).toEqual({ value: 1, version: 1 });
      expect(await valueOf(id)).toBe(1);
    });

    it('applies nothing when the answer could not be kept, and runs the retry', async () => {
      const id = await newCounter();
      cuts.atKeepingAnswer = 1;
      const lost = await withKey(id, 'k-answer-cut');
      expect(lost.status).toBe(503);
      expect(await valueOf(id)).toBe(0);
      const retry = await withKey(id, 'k-answer-cut');
      expect(retry.status).toBe(201);
      expect(retry.headers['idempotency-replayed']).toBeUndefined();
      expect(await valueOf(id)).toBe(1);
    });

    it('reads an upload before the key: the same file replays, another file under the same key is 422', async () => {
      const id = await newCounter();
      const send = (content: string, name = 'a.txt') =>
        http().post(`/counters/${id}/uploads`).set('Authorization', `Bearer ${member}`).set('Idempotency-Key', 'k-upload').attach('file', Buffer.from(content), name);
      const first = await send('four');
      expect(first.status).toBe(201);
      const again = await send('four');
      expect(again.headers['idempotency-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      const otherFile = await send('seven!!');
      expect(otherFile.status).toBe(422);
      expect(otherFile.body.code).toBe('IDEMPOTENCY.KEY_REUSED');
      expect((await send('four', 'b.txt')).status).toBe(422);
      expect(await valueOf(id)).toBe(4);
    });

    it('undoes what a refused command wrote, with a key or without, and keeps the refusal for the key', async () => {
      const id = await newCounter();
      const refuse = () => http().post(`/counters/${id}/refused-increments`).set('Authorization', `Bearer ${member}`);
      expect((await refuse()).body.code).toBe('TEST.REFUSED');
      const first = await refuse().set('Idempotency-Key', 'k-refused');
      const retry = await refuse().set('Idempotency-Key', 'k-refused');
      expect(first.status).toBe(409);
      expect(retry.headers['idempotency-replayed']).toBe('true');
      expect(await valueOf(id)).toBe(0);
    });
  });

  describe('versions', () => {
    it('sends the version as ETag and fails a stale If-Match with 412, changing nothing', async () => {
      const id = await newCounter();
      const first = await increment(id, member).set('If-Match', '"0"');
      expect(first.status).toBe(201);
      expect(first.headers['etag']).toBe('"1"');
      const stale = await increment(id, member).set('If-Match', '"0"');
      expect(stale.status).toBe(412);
      expect(stale.body).toMatchObject({ code: 'CONCURRENCY.PRECONDITION_FAILED', details: { ifMatch: 0, currentVersion: 1 } });
      expect(await valueOf(id)).toBe(1);
    });

    it('forgets the key after a failed If-Match, so the same command re-sent after a re-read executes', async () => {
      const id = await newCounter();
      await increment(id, member).expect(201);
      const send = (ifMatch: string) => increment(id, member).set('Idempotency-Key', 'k-stale').set('If-Match', ifMatch);
      expect((await send('"0"')).status).toBe(412);
      const retry = await send('"1"');
      expect(retry.status).toBe(201);
      expect(retry.headers['idempotency-replayed']).toBeUndefined();
      expect(await valueOf(id)).toBe(2);
    });

    it('refuses an If-Match that names no version with 400 HTTP.INVALID_IF_MATCH', async () => {
      const id = await newCounter();
      const res = await increment(id, member).set('If-Match', 'W/"1"');
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('HTTP.INVALID_IF_MATCH');
    });
  });

  describe('API documents', () => {
    it('serves the OpenAPI document with bearer auth, and the docs UI, without a token', async () => {
      const res = await http().get('/openapi.json').expect(200);
      expect(res.body.info).toMatchObject({ title: 'Counters', version: '1' });
      expect(res.body.paths['/counters/{id}/increments']).toBeDefined();
      expect(res.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      const ui = await http().get('/docs').redirects(1);
      expect(ui.status).toBe(200);
      expect(ui.text).toMatch(/swagger/i);
    });
  });
});
