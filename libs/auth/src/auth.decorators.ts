import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import { UnauthenticatedError } from './auth.errors';
import { AuthenticatedActor } from './token';
import { Role } from './roles';

export const PUBLIC_ROUTE = 'thihanh:auth:public';
export const ACCEPTED_ROLES = 'thihanh:auth:roles';

/** No token needed. Only for /health, /metrics and the API docs: every other route names its roles. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** The roles a route accepts (any one of them suffices). On a method it replaces the controller's list. */
export const Roles = (...roles: [Role, ...Role[]]) => SetMetadata(ACCEPTED_ROLES, roles);

type RequestWithActor = { actor?: AuthenticatedActor };

/** The actor the auth guard verified for this request, if any (undefined on public routes). */
export function actorOf(request: object): AuthenticatedActor | undefined {
  return (request as RequestWithActor).actor;
}

export function attachActor(request: object, actor: AuthenticatedActor): void {
  (request as RequestWithActor).actor = actor;
}

/** The verified caller. Asking for it on a public route is a mistake, answered with 401. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): AuthenticatedActor => {
  const actor = actorOf(context.switchToHttp().getRequest());
  if (!actor) throw new UnauthenticatedError();
  return actor;
});
