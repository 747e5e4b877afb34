/**
 * A request path with a `%00` escape, which Kestrel refuses with 400 Bad Request before any
 * routing ("The path contains null characters.").
 */
export class MalformedPathError extends Error {
  override readonly name = 'MalformedPathError';
}

const hexValue = (code: number): number => {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x41 + 10;
  if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10;
  return -1;
};

/** The byte `%XY` at `at` stands for, or -1 (not an escape, or `%2F`, which stays encoded). */
function escapedByte(path: string, at: number): number {
  if (path.charCodeAt(at) !== 0x25) return -1;
  const high = hexValue(path.charCodeAt(at + 1));
  const low = hexValue(path.charCodeAt(at + 2));
  if (high < 0 || low < 0) return -1;
  const byte = (high << 4) | low;
  return byte === 0x2f ? -1 : byte;
}

/**
 * Decodes the UTF-8 sequence of escapes at `at`; undefined when they do not form one (bad hex,
 * truncated, overlong, surrogate, above U+10FFFF), with `end` where scanning stopped.
 */
function decodeSequence(path: string, at: number): { bytes: number[]; end: number } | { bytes?: undefined; end: number } {
  const first = escapedByte(path, at);
  if (first < 0) return { end: at + 1 };
  if (first === 0) throw new MalformedPathError('The path contains null characters.');
  if (first < 0x80) return { bytes: [first], end: at + 3 };
  const length = (first & 0xe0) === 0xc0 ? 2 : (first & 0xf0) === 0xe0 ? 3 : (first & 0xf8) === 0xf0 ? 4 : 0;
  if (length === 0) return { end: at + 3 };
  const minimum = [0, 0, 0x80, 0x800, 0x10000][length]!;
  let value = first & (0xff >> (length + 1));
  const bytes = [first];
  let end = at + 3;
  for (let remaining = length - 1; remaining > 0; remaining--) {
    const next = escapedByte(path, end);
    if (next < 0 || (next & 0xc0) !== 0x80) return { end };
    value = (value << 6) | (next & 0x3f);
    bytes.push(next);
    end += 3;
  }
  // Overlong forms, surrogates (U+D800-U+DFFF) and code points above U+10FFFF are not UTF-8.
  if (value < minimum || (value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) return { end };
  return { bytes, end };
}

/**
 * Percent-decodes a request path the way Kestrel does (aspnetcore src/Shared/UrlDecoder): escapes
 * that form valid UTF-8 are decoded; malformed ones (`%zz`, `%E0%A4%A`, overlong forms) stay as
 * they were, as literal text; `%2F` stays encoded so it never becomes a segment separator; `%00`
 * throws MalformedPathError (400). Never throws on anything else, so a bad escape cannot cause a 500.
 */
export function decodeRequestPath(path: string): string {
  if (!path.includes('%')) return path;
  const out: number[] = [];
  let at = 0;
  while (at < path.length) {
    const code = path.charCodeAt(at);
    if (code !== 0x25) {
      if (code < 0x80) out.push(code);
      else out.push(...Buffer.from(path[at]!, 'utf8'));
      at++;
      continue;
    }
    const decoded = decodeSequence(path, at);
    if (decoded.bytes) out.push(...decoded.bytes);
    else for (let i = at; i < decoded.end; i++) out.push(path.charCodeAt(i));
    at = decoded.end;
  }
  return Buffer.from(out).toString('utf8');
}
