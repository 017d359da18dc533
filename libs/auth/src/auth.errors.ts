import { ForbiddenException, UnauthorizedException } from '@nestjs/common';

/**
 * HTTP exceptions rather than domain errors: 401 has no domain meaning. Each carries a stable `code`
 * in its response, which the problem+json filter of @thihanh/http passes on to the client.
 */
export class UnauthenticatedError extends UnauthorizedException {
  constructor(
    readonly code: 'AUTH.UNAUTHENTICATED' | 'AUTH.TOKEN_EXPIRED' = 'AUTH.UNAUTHENTICATED',
    message = 'A valid bearer token is required',
  ) {
    super({ code, message });
  }
}

export class AccessDeniedError extends ForbiddenException {
  readonly code = 'AUTH.FORBIDDEN';

  constructor(message: string, details: Record<string, unknown> = {}) {
    super({ code: 'AUTH.FORBIDDEN', message, details });
  }
}
