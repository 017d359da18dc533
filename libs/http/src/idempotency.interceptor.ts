import {
  applyDecorators,
  CallHandler,
  ConflictException,
  ExecutionContext,
  Inject,
  Injectable,
  NestInterceptor,
  SetMetadata,
  UnprocessableEntityException,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiConsumes } from '@nestjs/swagger';
import { actorOf } from '@thihanh/auth';
import { DomainError, InvalidInputError } from '@thihanh/domain';
import type { Database } from '@thihanh/event-store';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { Observable, from, lastValueFrom, of } from 'rxjs';
import { HTTP_DATABASE, IdempotencyScope, IdempotencyStore, StoredResponse } from './idempotency.store';
import { toProblemResponse } from './problem-details.filter';

const COMMAND_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const OWN_TRANSACTIONS = 'thihanh:own-transactions';

/**
 * For an operator's route that is not one command but manages transactions of its own and waits for
 * the log's readers (a read-model rebuild): it runs outside a unit of work, which would hold its locks
 * to the end and make it wait for its own transaction. Its Idempotency-Key answer is kept after it.
 */
export const OwnTransactions = () => SetMetadata(OWN_TRANSACTIONS, true);
const KEPT_HEADERS = ['etag', 'location'];
const AFTER_UPLOAD = 'thihanh:idempotency-after-upload';

/**
 * Every command runs as one unit of work (Database.unitOfWork): what it writes through the service's
 * database commits together, or nothing does.
 *
 * Idempotency-Key on commands: the first request with a key runs and its response is kept; a retry
 * with the same key and the same request gets that response back (Idempotency-Replayed: true) and
 * runs nothing. Keys are per calling client. The response of a command that succeeds is kept in the
 * command's own transaction, so it is kept exactly when the command's effects are: a retry after a
 * connection lost during COMMIT replays the answer if the command committed, and runs it if not.
 * 4xx answers are kept too (the same request would get the same answer), after the command's
 * transaction has rolled back. Not kept, so that a retry runs again: 5xx (an outage), and concurrency
 * conflicts and failed If-Match preconditions, whose remedy is to re-read and send the same command again.
 *
 * Guards run before interceptors, so the caller is already authenticated here; validation pipes run
 * after, so a request that fails validation is kept like any other 4xx.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly store: IdempotencyStore,
    @Inject(HTTP_DATABASE) private readonly db: Database,
    private readonly reflector: Reflector,
  ) {}

  /** Set by UploadIdempotencyInterceptor, the instance that runs after a route's upload is read. */
  protected readonly afterUpload: boolean = false;

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    // An upload route's request is handled once its file is read (see Upload), by the instance after it.
    const uploadRoute = this.reflector.getAllAndOverride<boolean>(AFTER_UPLOAD, [context.getHandler(), context.getClass()]) === true;
    if (uploadRoute !== this.afterUpload) return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    if (!COMMAND_METHODS.has(request.method)) return next.handle();
    const key = request.header('idempotency-key');
    const actor = actorOf(request);
    const ownTransactions = this.reflector.getAllAndOverride<boolean>(OWN_TRANSACTIONS, [context.getHandler(), context.getClass()]) === true;
    const unit = <T>(work: () => Promise<T>) => (ownTransactions ? work() : this.db.unitOfWork(work));
    // next.handle() is called inside the unit: Nest binds the handler to the async context it is called in.
    if (!key || !actor) return from(unit(() => lastValueFrom(next.handle(), { defaultValue: undefined })));
    if (key.length > 255) throw new InvalidInputError('IDEMPOTENCY.INVALID_KEY', 'Idempotency-Key is longer than 255 characters');

    const scope: IdempotencyScope = { clientId: actor.clientId, key };
    const claim = await this.store.claim(scope, fingerprint(request));
    switch (claim.outcome) {
      case 'fingerprint_mismatch':
        throw new UnprocessableEntityException({
          code: 'IDEMPOTENCY.KEY_REUSED',
          message: 'This Idempotency-Key was used for a different request',
        });
      case 'in_progress':
        throw new ConflictException({
          code: 'IDEMPOTENCY.IN_PROGRESS',
          message: 'A request with this Idempotency-Key is still running; retry later',
        });
      case 'completed':
        return of(replay(response, claim.response));
    }
    return from(this.run(scope, claim.lockId, next, request, response, unit));
  }

  private async run(
    scope: IdempotencyScope,
    lockId: string,
    next: CallHandler,
    request: Request,
    response: Response,
    unit: <T>(work: () => Promise<T>) => Promise<T>,
  ): Promise<unknown> {
    try {
      return await unit(async () => {
        const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
        await this.store.complete(scope, lockId, { status: response.statusCode, headers: keptHeaders(response), body });
        return body;
      });
    } catch (error) {
      return this.settleFailure(scope, lockId, error, request);
    }
  }

  /** Keeps a 4xx answer for replay or frees the key for a retry; then rethrows for the exception filter. */
  private async settleFailure(scope: IdempotencyScope, lockId: string, error: unknown, request: Request): Promise<never> {
    const problem = toProblemResponse(error, request);
    if (problem.status >= 500 || isStale(error)) await this.store.release(scope, lockId);
    else await this.store.complete(scope, lockId, problem);
    throw error;
  }
}

function isStale(error: unknown): boolean {
  return error instanceof DomainError && (error.kind === 'concurrency' || error.kind === 'precondition');
}

/**
 * The same handling, after a route's upload has been read: the file is then part of the request's
 * fingerprint, so a key reused with another file is refused (422) instead of replaying the first answer.
 */
@Injectable()
export class UploadIdempotencyInterceptor extends IdempotencyInterceptor {
  protected override readonly afterUpload = true;
}

/**
 * A command route that takes `multipart/form-data` with one file as the field `field`, at most
 * `maxBytes`: the file is read before the Idempotency-Key is looked at, and before the command's unit
 * of work begins.
 */
export function Upload(field: string, maxBytes: number) {
  return applyDecorators(
    ApiConsumes('multipart/form-data'),
    SetMetadata(AFTER_UPLOAD, true),
    UseInterceptors(FileInterceptor(field, { limits: { fileSize: maxBytes, files: 1 } }), UploadIdempotencyInterceptor),
  );
}

/**
 * Method, path, a SHA-256 of the parsed body (the raw bytes are gone by now, and two bodies that parse
 * alike are the same request) and, on an upload route, of the file with its name and type.
 */
function fingerprint(request: Request): string {
  const body = createHash('sha256').update(JSON.stringify(request.body ?? null)).digest('hex');
  const file = (request as Request & { file?: { originalname: string; mimetype: string; buffer: Buffer } }).file;
  if (!file) return `${request.method} ${request.originalUrl} ${body}`;
  const content = createHash('sha256').update(file.buffer).digest('hex');
  return `${request.method} ${request.originalUrl} ${body} ${createHash('sha256').update(JSON.stringify([file.originalname, file.mimetype, content])).digest('hex')}`;
}

function keptHeaders(response: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = response.getHeader(name);
    if (value !== undefined) headers[name] = String(value);
  }
  return headers;
}

function replay(response: Response, stored: StoredResponse): unknown {
  // Nest sets the route's status before interceptors run and does not set it again, so this one stands.
  response.status(stored.status);
  response.set(stored.headers);
  response.setHeader('Idempotency-Replayed', 'true');
  return stored.body;
}
