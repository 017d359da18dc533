import { BadRequestException, NotFoundException } from '@nestjs/common';
import {
  ConcurrencyError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  PreconditionFailedError,
  RuleViolationError,
  UnavailableError,
} from '@thihanh/domain';
import type { Request } from 'express';
import { toProblemResponse } from './problem-details.filter';

const request = { originalUrl: '/plans/p1', url: '/plans/p1', headers: { 'x-request-id': 'req-7' } } as unknown as Request;

describe('problem details', () => {
  it.each([
    [new InvalidInputError('PLAN.TITLE_EMPTY', 'x'), 400],
    [new ForbiddenError('PLAN.NOT_OWNER', 'x'), 403],
    [new NotFoundError('PLAN.NOT_FOUND', 'x'), 404],
    [new RuleViolationError('PLAN.ALREADY_ISSUED', 'x'), 409],
    [new ConcurrencyError('plan-p1', 3, 4), 409],
    [new PreconditionFailedError('CONCURRENCY.PRECONDITION_FAILED', 'x'), 412],
    [new UnavailableError('DB.DOWN', 'x'), 503],
  ])('maps %s to %i with its code', (error, status) => {
    const { body } = toProblemResponse(error, request);
    expect(body).toMatchObject({ status, code: error.code, instance: '/plans/p1', correlationId: 'req-7', details: error.details });
  });

  it('asks clients to retry later when a dependency is unavailable', () => {
    expect(toProblemResponse(new UnavailableError('DB.DOWN', 'x', { retryAfterSeconds: 5 }), request).headers['retry-after']).toBe('5');
  });

  it('gives framework exceptions a code from their status', () => {
    expect(toProblemResponse(new NotFoundException('Cannot GET /nope'), request).body).toMatchObject({ status: 404, code: 'HTTP.NOT_FOUND' });
  });

  it.each([
    ["Failed to decode param '%E0%A4%A'", 'HTTP.INVALID_PATH'],
    ['Multipart: Boundary not found', 'HTTP.INVALID_MULTIPART'],
    ['Unexpected file field - document', 'HTTP.INVALID_MULTIPART'],
    ['Too many files', 'HTTP.INVALID_MULTIPART'],
    ['Something else entirely', 'HTTP.BAD_REQUEST'],
  ])('gives the 400 "%s" of Express or multer the code %s', (message, code) => {
    expect(toProblemResponse(new BadRequestException(message), request).body).toMatchObject({ status: 400, code, detail: message });
  });

  it('tells nothing about unexpected errors', () => {
    const { body } = toProblemResponse(new Error('password authentication failed for user "postgres"'), request);
    expect(body).toMatchObject({ status: 500, code: 'INTERNAL', detail: 'An unexpected error occurred' });
    expect(JSON.stringify(body)).not.toMatch(/password|postgres|at /);
  });
});
