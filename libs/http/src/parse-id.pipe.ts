import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { InvalidInputError } from '@thihanh/domain';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A path parameter that names an aggregate by its UUID. Anything else is 400 `HTTP.INVALID_ID` naming
 * the parameter — not Nest's generic 400, which says neither which parameter nor what is wrong in a
 * code a client can act on.
 */
@Injectable()
export class ParseIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    if (typeof value === 'string' && UUID.test(value)) return value;
    const parameter = metadata.data ?? 'id';
    throw new InvalidInputError('HTTP.INVALID_ID', `The path parameter "${parameter}" must be a UUID`, { parameter });
  }
}

/**
 * A path parameter that is a positive whole number (a draft's version). Anything else is 400
 * `HTTP.INVALID_PARAMETER` naming the parameter.
 */
@Injectable()
export class ParsePositiveIntPipe implements PipeTransform<unknown, number> {
  transform(value: unknown, metadata: ArgumentMetadata): number {
    // The global validation pipe runs first and may have turned the text into a number already.
    const text = typeof value === 'number' ? String(value) : value;
    if (typeof text === 'string' && /^[1-9][0-9]{0,8}$/.test(text)) return Number(text);
    const parameter = metadata.data ?? 'value';
    throw new InvalidInputError('HTTP.INVALID_PARAMETER', `The path parameter "${parameter}" must be a positive whole number`, { parameter });
  }
}
