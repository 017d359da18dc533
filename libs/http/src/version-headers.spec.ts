import { assertIfMatch, parseIfMatch, setVersionHeaders } from './version-headers';

describe('version headers', () => {
  it('sends the stream version as a strong ETag', () => {
    const headers: Record<string, string> = {};
    setVersionHeaders({ setHeader: (name: string, value: string) => (headers[name] = value) }, 7);
    expect(headers).toEqual({ ETag: '"7"' });
  });

  it('reads If-Match as a version, absent or * as no condition', () => {
    expect([parseIfMatch('"7"'), parseIfMatch('7'), parseIfMatch(undefined), parseIfMatch('*')]).toEqual([7, 7, undefined, undefined]);
  });

  it('refuses weak, listed or non-numeric entity tags', () => {
    for (const header of ['W/"7"', '"7", "8"', '"abc"', '"7', '']) {
      expect(() => parseIfMatch(header)).toThrow(expect.objectContaining({ code: 'HTTP.INVALID_IF_MATCH' }));
    }
  });

  it('fails the precondition when If-Match names another version', () => {
    expect(() => assertIfMatch(3, 4)).toThrow(expect.objectContaining({ kind: 'precondition', code: 'CONCURRENCY.PRECONDITION_FAILED' }));
    expect(() => assertIfMatch(4, 4)).not.toThrow();
    expect(() => assertIfMatch(undefined, 4)).not.toThrow();
  });
});
