import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCEPTED_ROLES, PUBLIC_ROUTE, attachActor } from './auth.decorators';
import { AccessDeniedError, UnauthenticatedError } from './auth.errors';
import { AuthKey, verifyToken } from './token';
import { Role, isReadOnly } from './roles';

export interface AuthOptions {
  keys: AuthKey[];
}

export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');

const READ_METHODS = new Set(['GET', 'HEAD']);

/** Registered globally by AuthModule: every route needs a valid bearer token unless it is @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    // Only HTTP callers carry tokens; Kafka consumers are not reached through this guard's contexts.
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const request = context.switchToHttp().getRequest<{ method: string; headers: Record<string, unknown> }>();
    const actor = verifyToken(this.options.keys, bearerToken(request.headers['authorization']));
    attachActor(request, actor);

    // A route without @Roles admits nobody: forgetting the list must not open the route.
    const accepted = this.reflector.getAllAndOverride<Role[] | undefined>(ACCEPTED_ROLES, targets) ?? [];
    if (!accepted.some((role) => actor.roles.includes(role))) {
      throw new AccessDeniedError(`This route accepts the roles: ${accepted.join(', ') || 'none'}`, {
        accepted,
        roles: actor.roles,
      });
    }
    // Checked after @Roles on purpose: a write route that wrongly lists auditor still refuses one.
    if (isReadOnly(actor.roles) && !READ_METHODS.has(request.method)) {
      throw new AccessDeniedError('Auditors have read-only access', { roles: actor.roles, method: request.method });
    }
    return true;
  }
}

function bearerToken(header: unknown): string {
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match) throw new UnauthenticatedError('AUTH.UNAUTHENTICATED', 'Missing or malformed Authorization: Bearer header');
  return match[1];
}
