import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import { actorOf, UnauthenticatedError } from '@thihanh/auth';
import { EventMetadata } from '@thihanh/contracts';
import { uuidv7 } from '@thihanh/domain';

type Request = { id?: unknown; headers: Record<string, string | string[] | undefined> };

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function header(request: Request, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && SAFE_ID.test(value) ? value : undefined;
}

/**
 * The metadata every event a request causes will carry: who (agency, client, person, roles), the
 * correlation id that follows the request across services, and its cause (the Idempotency-Key the
 * client gave, else the request's own id).
 */
export function commandMetadataOf(request: Request): EventMetadata {
  const actor = actorOf(request);
  if (!actor) throw new UnauthenticatedError();
  const correlationId =
    (typeof request.id === 'string' && request.id) || header(request, 'x-correlation-id') || header(request, 'x-request-id') || uuidv7();
  const causationId = header(request, 'idempotency-key') ?? correlationId;
  return {
    actor: { agencyId: actor.agencyId, clientId: actor.clientId, ...(actor.person ? { person: actor.person } : {}), roles: actor.roles },
    correlationId,
    causationId,
  };
}

export const CommandMetadata = createParamDecorator((_: unknown, context: ExecutionContext): EventMetadata =>
  commandMetadataOf(context.switchToHttp().getRequest()),
);
