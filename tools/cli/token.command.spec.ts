import { verifyToken } from '@thihanh/auth';
import { UsageError } from './cli.command';
import { parseTtl, tokenCommand } from './token.command';

const env = { THIHANH_AUTH_KEYS: `new:${'n'.repeat(40)},old:${'o'.repeat(40)}` };
const keys = [
  { kid: 'new', secret: 'n'.repeat(40) },
  { kid: 'old', secret: 'o'.repeat(40) },
];

describe('thihanh token issue', () => {
  it('prints a token for the agency client with the given roles, signed with the first key', async () => {
    const token = await tokenCommand.run(
      ['issue', '--agency', 'son-la.ubnd-tinh', '--client', 'ops', '--person', 'Trần B', '--roles', 'operator,member', '--ttl', '30d'],
      env,
    );
    expect(verifyToken(keys.slice(0, 1), token)).toEqual({
      agencyId: 'son-la.ubnd-tinh',
      clientId: 'ops',
      person: 'Trần B',
      roles: ['operator', 'member'],
    });
    const { exp, iat } = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    expect(exp - iat).toBe(30 * 86_400);
  });

  it('refuses unknown roles, missing options and missing keys as usage errors', async () => {
    const base = ['issue', '--agency', 'a', '--client', 'c'];
    await expect(tokenCommand.run([...base, '--roles', 'admin'], env)).rejects.toThrow(UsageError);
    await expect(tokenCommand.run(base, env)).rejects.toThrow(/--roles are required/);
    await expect(tokenCommand.run([...base, '--roles', 'member'], {})).rejects.toThrow(/THIHANH_AUTH_KEYS/);
    await expect(tokenCommand.run([...base, '--roles', 'member', '--colour', 'red'], env)).rejects.toThrow(UsageError);
  });

  it('reads durations in seconds, minutes, hours and days', () => {
    expect([parseTtl('90'), parseTtl('15m'), parseTtl('12h'), parseTtl('30d')]).toEqual([90, 900, 43_200, 2_592_000]);
    expect(() => parseTtl('0d')).toThrow(UsageError);
    expect(() => parseTtl('soon')).toThrow(UsageError);
  });
});
