import { BadRequestException } from '@nestjs/common';
import { IsOptional, IsString } from 'class-validator';
import { IsDay, createValidationPipe, isDay } from './validation.pipe';

class Note {
  @IsString() text!: string;
  @IsOptional() @IsDay() on?: string;
}

const pipe = createValidationPipe();
const body = (value: unknown) => pipe.transform(value, { type: 'body', metatype: Note });
const refusal = async (value: unknown) => {
  try {
    await body(value);
    return 'accepted';
  } catch (error) {
    return ((error as BadRequestException).getResponse() as { errors: { constraints: Record<string, string> }[] }).errors.flatMap((e) => Object.keys(e.constraints));
  }
};

describe('input validation', () => {
  it('takes days of the calendar only', () => {
    expect(['2026-02-28', '2024-02-29', '2026-12-31', '0001-01-01'].map(isDay)).toEqual([true, true, true, true]);
    expect(['2026-02-30', '2026-02-29', '2026-13-01', '2026-04-31', '0000-01-01', '', 'yesterday', '2026-5-4', '2026-05-04T00:00:00Z', 20260504].map(isDay)).toEqual(
      Array(10).fill(false),
    );
  });

  it('refuses an impossible day with a field error', async () => {
    expect(await refusal({ text: 'x', on: '2026-02-30' })).toEqual(['isDay']);
  });

  it('refuses U+0000 in any string, which PostgreSQL cannot store', async () => {
    expect(await refusal({ text: 'a\u0000b' })).toEqual(['noNulCharacter']);
    await expect(pipe.transform('a\u0000b', { type: 'param', metatype: String, data: 'id' })).rejects.toThrow(BadRequestException);
  });

  it('refuses bodies nested deeper than any request needs, instead of overflowing the stack', async () => {
    let deep: unknown = [];
    for (let i = 0; i < 5000; i += 1) deep = [deep];
    expect(await refusal({ text: 'x', deep })).toEqual(['maxDepth']);
  });

  it('refuses __proto__, constructor and prototype as field names, which would otherwise be dropped silently', async () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) expect(await refusal(JSON.parse(`{"text":"x","${key}":{"isAdmin":true}}`))).toEqual(['whitelistValidation']);
  });

  it('still takes a valid body', async () => {
    expect(await body({ text: 'x', on: '2026-05-04' })).toMatchObject({ text: 'x', on: '2026-05-04' });
  });
});
