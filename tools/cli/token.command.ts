import { ROLES, Role, issueToken, isRole, parseKeys } from '@thihanh/auth';
import { parseArgs } from 'node:util';
import { CliCommand, UsageError } from './cli.command';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `30d`, `12h`, `15m`, `90s` or plain seconds. */
export function parseTtl(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  const seconds = match ? Number(match[1]) * UNIT_SECONDS[match[2] || 's'] : 0;
  if (!seconds) throw new UsageError(`--ttl must be a positive duration like 30d, 12h, 15m or 3600, not "${text}"`);
  return seconds;
}

export const tokenCommand: CliCommand = {
  name: 'token',
  usage:
    'token issue --agency <agency id> --client <client id> [--person <name>] --roles <role,...> [--ttl 1d]\n' +
    `  roles: ${ROLES.join(', ')}; keys from THIHANH_AUTH_KEYS ("kid1:secret1,kid2:secret2", the first signs)`,

  async run(args, env) {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        allowPositionals: true,
        options: {
          agency: { type: 'string' },
          client: { type: 'string' },
          person: { type: 'string' },
          roles: { type: 'string' },
          // Short by default: a token cannot be revoked except by retiring its key.
          ttl: { type: 'string', default: '1d' },
        },
      });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const { positionals, values } = parsed;
    if (positionals.join(' ') !== 'issue') throw new UsageError('Unknown token subcommand');
    if (!values.agency || !values.client || !values.roles) throw new UsageError('--agency, --client and --roles are required');
    if (!env['THIHANH_AUTH_KEYS']) throw new UsageError('THIHANH_AUTH_KEYS is not set');

    const roles = values.roles.split(',').map((r) => r.trim());
    const unknown = roles.filter((r) => !isRole(r));
    if (unknown.length) throw new UsageError(`Unknown roles: ${unknown.join(', ')}`);
    return issueToken(parseKeys(env['THIHANH_AUTH_KEYS']), {
      agencyId: values.agency,
      clientId: values.client,
      person: values.person,
      roles: roles as Role[],
      ttlSeconds: parseTtl(values.ttl),
    });
  },
};
