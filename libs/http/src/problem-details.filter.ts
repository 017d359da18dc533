import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { DomainError, DomainErrorKind } from '@thihanh/domain';
import { isDatabaseUnavailable } from '@thihanh/event-store';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';

/** RFC 9457 problem details, plus our stable `code` and the request's correlation id. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance: string;
  correlationId?: string;
  details: Record<string, unknown>;
  /** Field errors of a request that failed validation. */
  errors?: unknown[];
}

export interface ProblemResponse {
  status: number;
  headers: Record<string, string>;
  body: ProblemDetails;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  rule: 409,
  concurrency: 409,
  precondition: 412,
  unavailable: 503,
};

/** The one mapping from anything thrown to the response a client sees (also used to store idempotent replies). */
export function toProblemResponse(exception: unknown, request: Request): ProblemResponse {
  const { status, code, detail, details = {}, errors } = classify(exception);
  const headers: Record<string, string> = { 'content-type': PROBLEM_CONTENT_TYPE };
  if (status === 503) headers['retry-after'] = String(details['retryAfterSeconds'] ?? 1);
  if (status === 401) headers['www-authenticate'] = 'Bearer';
  const body: ProblemDetails = {
    type: `urn:thihanh:problem:${code}`,
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    code,
    instance: request.originalUrl ?? request.url,
    correlationId: correlationIdOf(request),
    details,
    ...(errors ? { errors } : {}),
  };
  return { status, headers, body };
}

interface Classified {
  status: number;
  code: string;
  detail: string;
  details?: Record<string, unknown>;
  errors?: unknown[];
}

function classify(exception: unknown): Classified {
  if (exception instanceof DomainError) {
    const { code, message: detail, details } = exception;
    return { status: STATUS_BY_KIND[exception.kind], code, detail, details };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const body = typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
    return {
      status,
      // Our own exceptions name their code; the libraries' we know get one of theirs (LIBRARY_400S), and
      // the rest (e.g. the 404 for an unknown route) one from the status.
      code: typeof body['code'] === 'string' ? body['code'] : (libraryCode(status, exception.message) ?? `HTTP.${HttpStatus[status] ?? status}`),
      detail: exception.message,
      details: isRecord(body['details']) ? body['details'] : {},
      errors: Array.isArray(body['errors']) ? body['errors'] : undefined,
    };
  }
  // The database away is not the request's fault: 503 and when to retry, so clients (the SDK) retry.
  if (isDatabaseUnavailable(exception)) {
    return { status: 503, code: 'DATABASE.UNAVAILABLE', detail: 'The database is not answering; retry shortly, with the same Idempotency-Key', details: { retryAfterSeconds: 2 } };
  }
  // Anything else is a bug: say nothing about it to the client, log it here.
  return { status: 500, code: 'INTERNAL', detail: 'An unexpected error occurred' };
}

/**
 * 400s that Express and multer raise with a message and no code: a code a client can act on. Only the
 * message tells them apart; a message not listed keeps the generic HTTP.BAD_REQUEST.
 */
const LIBRARY_400S: [RegExp, string][] = [
  [/^Failed to decode param/, 'HTTP.INVALID_PATH'],
  [/^(Multipart:|Unexpected (file )?field|Too many (files|parts|fields)|Field name missing|Field value too long|Malformed part header)/, 'HTTP.INVALID_MULTIPART'],
];

function libraryCode(status: number, message: string): string | undefined {
  return status === 400 ? LIBRARY_400S.find(([pattern]) => pattern.test(message))?.[1] : undefined;
}

function correlationIdOf(request: Request): string | undefined {
  for (const name of ['x-correlation-id', 'x-request-id']) {
    const value = request.headers[name];
    if (typeof value === 'string' && value) return value;
  }
  const id = (request as { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every error leaves as application/problem+json with a stable code; stacks never leave the process. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const problem = toProblemResponse(exception, request);
    if (problem.status >= 500) {
      this.logger.error(`${request.method} ${problem.body.instance} failed`, exception instanceof Error ? exception.stack : String(exception));
    }
    if (response.headersSent) return;
    response.status(problem.status).set(problem.headers).json(problem.body);
  }
}
