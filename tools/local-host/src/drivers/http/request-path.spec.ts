import fc from 'fast-check';
import { decodeRequestPath, MalformedPathError } from './request-path';

describe('decodeRequestPath (Kestrel UrlDecoder rules)', () => {
  it('decodes escapes that form UTF-8 and keeps %2F encoded', () => {
    expect(decodeRequestPath('/api/devices/drone%2D1')).toBe('/api/devices/drone-1');
    expect(decodeRequestPath('/api/x/%C3%A9t%C3%A9')).toBe('/api/x/été');
    expect(decodeRequestPath('/api/x/%F0%9F%9A%81')).toBe('/api/x/🚁');
    expect(decodeRequestPath('/api/x/a%2Fb')).toBe('/api/x/a%2Fb');
    expect(decodeRequestPath('/api/x/100%25')).toBe('/api/x/100%');
  });

  it('leaves malformed escapes as literal text instead of failing', () => {
    expect(decodeRequestPath('/api/x/%zz')).toBe('/api/x/%zz');
    expect(decodeRequestPath('/api/x/%E0%A4%A')).toBe('/api/x/%E0%A4%A');
    expect(decodeRequestPath('/api/x/%')).toBe('/api/x/%');
    expect(decodeRequestPath('/api/x/%C0%AF')).toBe('/api/x/%C0%AF'); // overlong '/'
    expect(decodeRequestPath('/api/x/%ED%A0%80')).toBe('/api/x/%ED%A0%80'); // surrogate
    expect(decodeRequestPath('/api/x/%FF%41')).toBe('/api/x/%FFA');
  });

  it('refuses a NUL escape (Kestrel answers 400)', () => {
    expect(() => decodeRequestPath('/api/x/a%00b')).toThrow(MalformedPathError);
  });

  it('never throws anything but MalformedPathError, and agrees with decodeURIComponent where that succeeds', () => {
    const escape = fc.tuple(fc.constantFrom(...'0123456789abcdefABCDEFgz%'.split('')), fc.constantFrom(...'0123456789abcdefABCDEFgz'.split(''))).map(([a, b]) => `%${a}${b}`);
    const part = fc.oneof(escape, fc.constantFrom('a', '/', '-', '%', '%E0', '%A4', '%F0%9F', '%9A%81'));
    fc.assert(
      fc.property(fc.array(part, { maxLength: 12 }).map((parts) => parts.join('')), (path) => {
        let decoded: string;
        try {
          decoded = decodeRequestPath(path);
        } catch (error) {
          expect(error).toBeInstanceOf(MalformedPathError);
          return;
        }
        let strict: string | undefined;
        try {
          strict = decodeURIComponent(path);
        } catch {
          strict = undefined;
        }
        if (strict !== undefined && !/%2f/i.test(path) && !strict.includes('\u0000')) expect(decoded).toBe(strict);
      }),
    );
  });
});
