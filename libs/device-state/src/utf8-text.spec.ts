import fc from 'fast-check';
import { PipelineError } from '@telemetry/core';
import { utf8Text } from './utf8-text';

const reference = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const outcome = (decode: () => string): string => {
  try {
    return `text:${decode()}`;
  } catch (error) {
    return error instanceof PipelineError ? `error:${error.code}` : 'error:EVENT_ENCODING';
  }
};

// Valid UTF-8 (any code point, a BOM or two in front sometimes), then possibly damaged: a byte
// flipped, cut short, or an overlong / surrogate / out-of-range sequence spliced in.
const bytes = fc
  .tuple(
    fc.constantFrom('', '\uFEFF', '\uFEFF\uFEFF'),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.option(fc.tuple(fc.nat(), fc.oneof(fc.integer({ min: 0, max: 255 }).map((b) => [b]), fc.constantFrom([0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf8], [0x80], [0xef, 0xbb])))),
    fc.option(fc.nat()),
  )
  .map(([bom, text, splice, cut]) => {
    let b = [...Buffer.from(bom + text, 'utf8')];
    if (splice) b.splice(splice[0] % (b.length + 1), 1, ...splice[1]);
    if (cut !== null) b = b.slice(0, cut % (b.length + 1));
    return Uint8Array.from(b);
  });

describe('utf8Text', () => {
  it('accepts and decodes exactly as a fatal TextDecoder does (one BOM dropped)', () => {
    fc.assert(
      fc.property(fc.oneof(bytes, fc.uint8Array({ maxLength: 60 })), fc.nat(3), (raw, offset) => {
        // Also as a view into a larger buffer, as event bodies often are.
        const view = new Uint8Array(raw.length + offset + 2);
        view.set(raw, offset);
        const sub = view.subarray(offset, offset + raw.length);
        const expected = outcome(() => reference.decode(raw));
        expect(outcome(() => utf8Text(raw))).toBe(expected);
        expect(outcome(() => utf8Text(sub))).toBe(expected);
        expect(outcome(() => utf8Text(Buffer.from(raw)))).toBe(expected);
      }),
      { numRuns: 4000 },
    );
  });
});
