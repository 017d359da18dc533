import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Public, Roles, actorOf } from './auth.decorators';
import { AuthGuard } from './auth.guard';
import { Role } from './roles';
import { AuthKey, issueToken } from './token';

const keys: AuthKey[] = [{ kid: 'k1', secret: 's'.repeat(40) }];
const guard = new AuthGuard(new Reflector(), { keys });

@Roles('coordinator')
class Routes {
  assign() {
    return 'assign';
  }
  @Roles('member', 'auditor')
  report() {
    return 'report';
  }
  @Public()
  health() {
    return 'health';
  }
}
class Undeclared {
  anything() {
    return 'anything';
  }
}

function call(handler: () => void, method: string, roles?: Role[], controller: object = Routes) {
  const authorization = roles && `Bearer ${issueToken(keys, { agencyId: 'a', clientId: 'c', roles, ttlSeconds: 60 })}`;
  const request = { method, headers: { authorization } };
  const context = {
    getType: () => 'http',
    getHandler: () => handler,
    getClass: () => controller,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  return { allowed: () => guard.canActivate(context), request };
}

const code = (attempt: () => unknown) => {
  try {
    attempt();
    return 'allowed';
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('auth guard', () => {
  it('lets a caller with an accepted role through and attaches the actor', () => {
    const { allowed, request } = call(Routes.prototype.assign, 'POST', ['coordinator']);
    expect(allowed()).toBe(true);
    expect(actorOf(request)).toMatchObject({ agencyId: 'a', clientId: 'c', roles: ['coordinator'] });
  });

  it('does not treat operator as every role', () => {
    expect(code(call(Routes.prototype.assign, 'POST', ['operator']).allowed)).toBe('AUTH.FORBIDDEN');
  });

  it('lets a method-level @Roles replace the controller list', () => {
    expect(code(call(Routes.prototype.report, 'GET', ['member']).allowed)).toBe('allowed');
    expect(code(call(Routes.prototype.report, 'GET', ['coordinator']).allowed)).toBe('AUTH.FORBIDDEN');
  });

  it('never lets an auditor-only caller write, even where a route lists auditor', () => {
    expect(code(call(Routes.prototype.report, 'GET', ['auditor']).allowed)).toBe('allowed');
    expect(code(call(Routes.prototype.report, 'POST', ['auditor']).allowed)).toBe('AUTH.FORBIDDEN');
    expect(code(call(Routes.prototype.report, 'POST', ['auditor', 'member']).allowed)).toBe('allowed');
  });

  it('admits nobody to a route that declares no roles', () => {
    expect(code(call(Undeclared.prototype.anything, 'GET', ['operator'], Undeclared).allowed)).toBe('AUTH.FORBIDDEN');
  });

  it('needs no token on a public route and a token everywhere else', () => {
    expect(code(call(Routes.prototype.health, 'GET').allowed)).toBe('allowed');
    expect(code(call(Routes.prototype.report, 'GET').allowed)).toBe('AUTH.UNAUTHENTICATED');
  });
});
