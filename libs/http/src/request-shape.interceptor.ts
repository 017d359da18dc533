import { CallHandler, ExecutionContext, Injectable, NestInterceptor, UnsupportedMediaTypeException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DECORATORS } from '@nestjs/swagger';
import type { Request } from 'express';
import { Observable } from 'rxjs';
import { parseIfMatch } from './version-headers';

const JSON_ONLY = ['application/json'];

/**
 * What a request must look like before any handler runs (after the guard, so a stranger still gets
 * 401 first):
 * - a body in a media type the route consumes — what its OpenAPI document says (`@ApiConsumes`),
 *   else JSON. Any other body would reach the handler unread, as if it were empty: 415.
 * - an If-Match the server can honour, on every route: 400 rather than a write that is silently
 *   unconditional.
 */
@Injectable()
export class RequestShapeInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    if (hasBody(request)) {
      const consumes = this.reflector.getAllAndOverride<string[] | undefined>(DECORATORS.API_CONSUMES, [context.getHandler(), context.getClass()]) ?? JSON_ONLY;
      const type = mediaType(request.headers['content-type']);
      if (!consumes.includes(type)) {
        throw new UnsupportedMediaTypeException({
          code: 'HTTP.UNSUPPORTED_MEDIA_TYPE',
          message: `This route takes ${consumes.join(' or ')}, not ${type || 'a body without Content-Type'}`,
          details: { accepted: consumes, received: type || null },
        });
      }
    }
    const ifMatch = request.headers['if-match'];
    parseIfMatch(Array.isArray(ifMatch) ? ifMatch.join(',') : ifMatch);
    return next.handle();
  }
}

function hasBody(request: Request): boolean {
  return request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
}

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}
