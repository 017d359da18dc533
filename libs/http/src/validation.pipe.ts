import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { isRealDay } from '@thihanh/domain';
import { buildMessage, ValidateBy, ValidationOptions } from 'class-validator';

export interface FieldError {
  /** Dotted path for nested objects: `tasks.0.deadline`. */
  property: string;
  constraints: Record<string, string>;
}

/** Deeper than any request of ours nests (a plan's tasks' parties are four levels down). */
const MAX_DEPTH = 32;
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Shape of input only (class-validator DTOs); invariants belong to the aggregate. */
export function createValidationPipe(): ValidationPipe {
  return new InputValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => invalid(fieldErrors(errors)),
  });
}

/**
 * Before class-validator sees a body, query or parameter: no value nested deeper than MAX_DEPTH
 * (Nest's own walk over it would overflow the stack, a 500), no U+0000 in any string (PostgreSQL
 * text and jsonb cannot hold it: the append would fail, a 500) and no `__proto__`, `constructor` or
 * `prototype` key.
 */
class InputValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const problem = unstorable(value, metadata.data ?? metadata.type);
      if (problem) throw invalid([problem]);
    }
    return super.transform(value, metadata);
  }
}

function unstorable(root: unknown, name: string): FieldError | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: name, depth: 0 }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { value, path, depth } = next;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { property: path, constraints: { noNulCharacter: `${path} must not contain the character U+0000` } };
    } else if (typeof value === 'object' && value !== null) {
      if (depth >= MAX_DEPTH) return { property: path, constraints: { maxDepth: `${path} is nested deeper than ${MAX_DEPTH} levels` } };
      for (const [key, inner] of Object.entries(value)) {
        if (key.includes('\u0000')) return { property: path, constraints: { noNulCharacter: `${path} has a key with the character U+0000` } };
        // Nest strips these before validation, so a body carrying them would pass as if they were not sent.
        if (PROTOTYPE_KEYS.has(key)) return { property: `${path}.${key}`, constraints: { whitelistValidation: `property ${key} should not exist` } };
        stack.push({ value: inner, path: `${path}.${key}`, depth: depth + 1 });
      }
    }
  }
  return undefined;
}

function invalid(errors: FieldError[]): BadRequestException {
  return new BadRequestException({ code: 'VALIDATION.FAILED', message: 'The request is not valid', errors });
}

function fieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const property = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ property, constraints: error.constraints }] : [];
    return [...own, ...fieldErrors(error.children ?? [], property)];
  });
}

/** A day of the calendar as YYYY-MM-DD: 2026-02-30 and 2026-13-01 have the shape, not the day. */
export function isDay(value: unknown): value is string {
  // Year 0000 is no year of the calendar.
  return typeof value === 'string' && !value.startsWith('0000') && isRealDay(value);
}

export function IsDay(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isDay', validator: { validate: isDay, defaultMessage: buildMessage((each) => `${each}$property must be a day of the calendar as YYYY-MM-DD`, options) } },
    options,
  );
}
