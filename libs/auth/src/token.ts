import { createSecretKey, KeyObject } from 'node:crypto';
import { Actor } from '@thihanh/contracts';
import { InvalidInputError } from '@thihanh/domain';
import { JwtPayload, TokenExpiredError, decode, sign, verify } from 'jsonwebtoken';
import { UnauthenticatedError } from './auth.errors';
import { Role, isRole } from './roles';

/** A signing key. The first key of a list signs; every key in it verifies, so keys rotate without downtime. */
export interface AuthKey {
  kid: string;
  secret: string;
}

export interface TokenRequest {
  agencyId: string;
  clientId: string;
  person?: string;
  roles: Role[];
  ttlSeconds: number;
}

export interface AuthenticatedActor extends Actor {
  roles: Role[];
}

export const TOKEN_ISSUER = 'thihanh';

// HS256 is only as strong as its secret: below 256 bits it can be brute-forced offline from one token.
const MIN_SECRET_LENGTH = 32;

export function checkKeys(keys: readonly AuthKey[]): readonly AuthKey[] {
  const problems: string[] = [];
  if (keys.length === 0) problems.push('at least one key is needed');
  const kids = new Set<string>();
  for (const { kid, secret } of keys) {
    if (!kid) problems.push('a key has no kid');
    if (kids.has(kid)) problems.push(`kid ${kid} appears twice`);
    if (secret.length < MIN_SECRET_LENGTH) problems.push(`the secret of ${kid} is shorter than ${MIN_SECRET_LENGTH} characters`);
    kids.add(kid);
  }
  if (problems.length) throw new InvalidInputError('AUTH.INVALID_KEYS', `Invalid auth keys: ${problems.join('; ')}`, { problems });
  return keys;
}

/** Reads keys written as `kid1:secret1,kid2:secret2` (the form of THIHANH_AUTH_KEYS). */
export function parseKeys(text: string): AuthKey[] {
  const keys = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const colon = entry.indexOf(':');
      return colon < 0 ? { kid: '', secret: entry } : { kid: entry.slice(0, colon), secret: entry.slice(colon + 1) };
    });
  checkKeys(keys);
  return keys;
}

// Given a string, jsonwebtoken first tries it as a PEM public key and fails — on every request, about
// 15% of a service's CPU under load. A secret KeyObject, made once per secret, goes straight to HMAC.
const secretKeys = new Map<string, KeyObject>();
function secretKey(secret: string): KeyObject {
  let key = secretKeys.get(secret);
  if (!key) secretKeys.set(secret, (key = createSecretKey(Buffer.from(secret, 'utf8'))));
  return key;
}

export function issueToken(keys: readonly AuthKey[], request: TokenRequest, now: Date = new Date()): string {
  const [key] = checkKeys(keys);
  const { agencyId, clientId, person, roles, ttlSeconds } = request;
  const problems = [
    !agencyId && 'agencyId is empty',
    !clientId && 'clientId is empty',
    (roles.length === 0 || !roles.every(isRole)) && 'roles must be a non-empty subset of member, coordinator, auditor, operator',
    !(Number.isInteger(ttlSeconds) && ttlSeconds > 0) && 'ttlSeconds must be a positive integer',
  ].filter((p): p is string => typeof p === 'string');
  if (problems.length) throw new InvalidInputError('AUTH.INVALID_TOKEN_REQUEST', problems.join('; '), { problems });
  const iat = Math.floor(now.getTime() / 1000);
  const payload = { agency: agencyId, ...(person ? { person } : {}), roles: [...new Set(roles)], iat, exp: iat + ttlSeconds };
  return sign(payload, secretKey(key.secret), { algorithm: 'HS256', keyid: key.kid, subject: clientId, issuer: TOKEN_ISSUER });
}

/** The actor a token names, or UnauthenticatedError (AUTH.TOKEN_EXPIRED once a genuine token has expired). */
export function verifyToken(keys: readonly AuthKey[], token: string, now: Date = new Date()): AuthenticatedActor {
  const decoded = decode(token, { complete: true });
  const key = decoded && keys.find((k) => k.kid === decoded.header.kid);
  if (!key) throw new UnauthenticatedError('AUTH.UNAUTHENTICATED', 'The token is malformed or signed with an unknown key');
  let claims: JwtPayload;
  try {
    // The algorithm is pinned: a token may not choose how it is checked ("alg": "none", RS/HS confusion).
    claims = verify(token, secretKey(key.secret), {
      algorithms: ['HS256'],
      issuer: TOKEN_ISSUER,
      clockTimestamp: Math.floor(now.getTime() / 1000),
    }) as JwtPayload;
  } catch (error) {
    // jsonwebtoken checks the signature before the expiry, so a forged token never reads as merely expired.
    if (error instanceof TokenExpiredError) throw new UnauthenticatedError('AUTH.TOKEN_EXPIRED', 'The token has expired');
    throw new UnauthenticatedError('AUTH.UNAUTHENTICATED', 'The token is not valid');
  }
  return actorFrom(claims);
}

function actorFrom(claims: JwtPayload): AuthenticatedActor {
  const { agency, sub, person, roles, exp } = claims as JwtPayload & Record<string, unknown>;
  const valid =
    typeof agency === 'string' &&
    agency !== '' &&
    typeof sub === 'string' &&
    sub !== '' &&
    (person === undefined || typeof person === 'string') &&
    Array.isArray(roles) &&
    roles.length > 0 &&
    roles.every(isRole) &&
    // jsonwebtoken accepts tokens without `exp`; ours always expire.
    typeof exp === 'number';
  if (!valid) throw new UnauthenticatedError('AUTH.UNAUTHENTICATED', 'The token lacks required claims');
  return { agencyId: agency, clientId: sub, ...(person ? { person } : {}), roles: roles as Role[] };
}
