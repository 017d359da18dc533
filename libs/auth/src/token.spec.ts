import { sign } from 'jsonwebtoken';
import { AuthKey, TokenRequest, issueToken, parseKeys, verifyToken } from './token';

const current: AuthKey = { kid: '2026-05', secret: 'c'.repeat(40) };
const previous: AuthKey = { kid: '2026-01', secret: 'p'.repeat(40) };
const request: TokenRequest = {
  agencyId: 'son-la.cong-an-tinh',
  clientId: 'ca-tinh-app',
  person: 'Nguyễn Văn A',
  roles: ['member', 'coordinator'],
  ttlSeconds: 3600,
};
const now = new Date('2026-05-01T08:00:00Z');
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

describe('agency tokens', () => {
  it('names the agency, client, person and roles of the caller', () => {
    const token = issueToken([current], request, now);
    expect(verifyToken([current], token, later(60))).toEqual({
      agencyId: 'son-la.cong-an-tinh',
      clientId: 'ca-tinh-app',
      person: 'Nguyễn Văn A',
      roles: ['member', 'coordinator'],
    });
  });

  it('signs with the first key and names it in the kid header', () => {
    const token = issueToken([current, previous], request, now);
    const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString());
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT', kid: '2026-05' });
  });

  it('still accepts tokens signed with a previous key while that key is listed', () => {
    const old = issueToken([previous], request, now);
    expect(verifyToken([current, previous], old, now).clientId).toBe('ca-tinh-app');
  });

  it('rejects tokens signed with a key that was retired', () => {
    const old = issueToken([previous], request, now);
    expect(() => verifyToken([current], old, now)).toThrow(expect.objectContaining({ code: 'AUTH.UNAUTHENTICATED' }));
  });

  it('reports an expired token as expired', () => {
    const token = issueToken([current], request, now);
    expect(() => verifyToken([current], token, later(3601))).toThrow(expect.objectContaining({ code: 'AUTH.TOKEN_EXPIRED' }));
  });

  it('rejects a token signed with another secret under a known kid, even once expired', () => {
    const forged = issueToken([{ kid: current.kid, secret: 'x'.repeat(40) }], request, now);
    expect(() => verifyToken([current], forged, now)).toThrow(expect.objectContaining({ code: 'AUTH.UNAUTHENTICATED' }));
    expect(() => verifyToken([current], forged, later(7200))).toThrow(expect.objectContaining({ code: 'AUTH.UNAUTHENTICATED' }));
  });

  it('rejects a token whose claims were edited after signing', () => {
    const [header, payload, signature] = issueToken([current], request, now).split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const edited = Buffer.from(JSON.stringify({ ...claims, roles: ['operator'] })).toString('base64url');
    expect(() => verifyToken([current], `${header}.${edited}.${signature}`, now)).toThrow(
      expect.objectContaining({ code: 'AUTH.UNAUTHENTICATED' }),
    );
  });

  it('rejects unsigned tokens and garbage', () => {
    const unsigned = sign({ agency: 'a', roles: ['operator'], exp: 9e9 }, '', { algorithm: 'none', keyid: current.kid, subject: 'c', issuer: 'thihanh' });
    for (const token of [unsigned, 'not-a-token', '']) {
      expect(() => verifyToken([current], token, now)).toThrow(expect.objectContaining({ code: 'AUTH.UNAUTHENTICATED' }));
    }
  });

  it('rejects validly signed tokens from another issuer, without expiry or with unknown roles', () => {
    const signed = (claims: object, issuer = 'thihanh') =>
      sign({ agency: 'a', roles: ['member'], ...claims }, current.secret, { algorithm: 'HS256', keyid: current.kid, subject: 'c', issuer });
    for (const token of [signed({ exp: 9e9 }, 'someone-else'), signed({}), signed({ exp: 9e9, roles: ['admin'] })]) {
      expect(() => verifyToken([current], token, now)).toThrow(expect.objectContaining({ code: 'AUTH.UNAUTHENTICATED' }));
    }
  });

  it('refuses to issue tokens with unknown roles, no roles or no lifetime', () => {
    expect(() => issueToken([current], { ...request, roles: [] })).toThrow(expect.objectContaining({ code: 'AUTH.INVALID_TOKEN_REQUEST' }));
    expect(() => issueToken([current], { ...request, roles: ['admin' as 'member'] })).toThrow(/roles/);
    expect(() => issueToken([current], { ...request, ttlSeconds: 0 })).toThrow(/ttlSeconds/);
  });

  it('reads rotation keys from "kid:secret,kid:secret" and refuses short secrets', () => {
    expect(parseKeys(`2026-05:${current.secret}, 2026-01:${previous.secret}`)).toEqual([current, previous]);
    expect(() => parseKeys('k1:short')).toThrow(/shorter than 32/);
    expect(() => parseKeys(`k1:${current.secret},k1:${previous.secret}`)).toThrow(/twice/);
    expect(() => parseKeys('')).toThrow(/at least one key/);
  });
});
