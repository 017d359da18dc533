import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

export interface FieldError {
  /** Dotted path for nested objects: `tasks.0.deadline`. */
  property: string;
  constraints: Record<string, string>;
}

/** Shape of input only (class-validator DTOs); invariants belong to the aggregate. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) =>
      new BadRequestException({
        code: 'VALIDATION.FAILED',
        message: 'The request is not valid',
        errors: fieldErrors(errors),
      }),
  });
}

function fieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const property = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ property, constraints: error.constraints }] : [];
    return [...own, ...fieldErrors(error.children ?? [], property)];
  });
}
