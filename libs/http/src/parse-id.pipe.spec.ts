import { InvalidInputError } from '@thihanh/domain';
import { ParseIdPipe, ParsePositiveIntPipe } from './parse-id.pipe';

describe('ParseIdPipe', () => {
  const pipe = new ParseIdPipe();
  const caseId = { type: 'param' as const, data: 'caseId' };

  it('passes a UUID through as it came', () => {
    expect(pipe.transform('0194d6b2-7f3a-7c41-9a7e-2b1c3d4e5f60', caseId)).toBe('0194d6b2-7f3a-7c41-9a7e-2b1c3d4e5f60');
    expect(pipe.transform('0194D6B2-7F3A-7C41-9A7E-2B1C3D4E5F60', caseId)).toBe('0194D6B2-7F3A-7C41-9A7E-2B1C3D4E5F60');
  });

  it.each([['not-a-uuid'], ['12345'], [''], ['0194d6b2-7f3a-7c41-9a7e-2b1c3d4e5f60 '], ["' OR 1=1 --"], [undefined], [42]])(
    'refuses %p with 400 HTTP.INVALID_ID naming the parameter',
    (value) => {
      let error: unknown;
      try {
        pipe.transform(value, caseId);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error).toMatchObject({ code: 'HTTP.INVALID_ID', details: { parameter: 'caseId' }, message: 'The path parameter "caseId" must be a UUID' });
    },
  );
});

describe('ParsePositiveIntPipe', () => {
  const pipe = new ParsePositiveIntPipe();
  const version = { type: 'param' as const, data: 'version' };

  it('reads a positive whole number', () => {
    expect(pipe.transform('1', version)).toBe(1);
    expect(pipe.transform('42', version)).toBe(42);
    expect(pipe.transform(7, version)).toBe(7); // as the global validation pipe may hand it over
  });

  it.each([['0'], ['-1'], ['1.5'], ['01'], ['abc'], [''], ['9999999999'], [undefined], [NaN], [0], [-3], [1.5]])('refuses %p with 400 HTTP.INVALID_PARAMETER naming the parameter', (value) => {
    expect(() => pipe.transform(value, version)).toThrow(expect.objectContaining({ code: 'HTTP.INVALID_PARAMETER', details: { parameter: 'version' } }));
  });
});
