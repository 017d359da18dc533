import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import { InvalidInputError, PreconditionFailedError } from '@thihanh/domain';

/**
 * Optimistic concurrency over HTTP. The ETag of an aggregate is its stream version ("7"). A client
 * sends it back in If-Match; two different failures follow:
 * - If-Match no longer equals the current version: 412, CONCURRENCY.PRECONDITION_FAILED. The client
 *   decided on a state that is gone; it must re-read and decide again.
 * - If-Match matched, but another writer appended between our load and our append: 409,
 *   CONCURRENCY.CONFLICT (ConcurrencyError from the event store). Reloading and retrying is safe.
 */
export function setVersionHeaders(response: { setHeader(name: string, value: string): unknown }, version: number): void {
  response.setHeader('ETag', `"${version}"`);
}

/** The version in If-Match, or undefined when absent (or `*`, which any existing resource satisfies). */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  // Strong comparison only (RFC 9110 §13.1.1): a weak W/"7" never matches.
  const match = /^\s*(?:"(\d{1,15})"|(\d{1,15}))\s*$/.exec(header);
  if (!match) {
    throw new InvalidInputError('HTTP.INVALID_IF_MATCH', 'If-Match must be one version as an entity tag, e.g. "7"', {
      ifMatch: header,
    });
  }
  return Number(match[1] ?? match[2]);
}

export const IfMatchVersion = createParamDecorator((_: unknown, context: ExecutionContext): number | undefined => {
  const header = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers['if-match'];
  return parseIfMatch(Array.isArray(header) ? header.join(',') : header);
});

/** Call with the version the aggregate was loaded at, before deciding. */
export function assertIfMatch(ifMatch: number | undefined, currentVersion: number, resource = 'resource'): void {
  if (ifMatch !== undefined && ifMatch !== currentVersion) {
    throw new PreconditionFailedError(
      'CONCURRENCY.PRECONDITION_FAILED',
      `The ${resource} is at version ${currentVersion}, If-Match names ${ifMatch}`,
      { ifMatch, currentVersion },
    );
  }
}
