import fc from 'fast-check';
import { lastRead, readNumber, skipPrimitive } from './json-bytes';

/** What readNumber makes of the whole text: its value, or 'refused'. */
function readAll(text: string): number | 'refused' {
  const b = Buffer.from(text, 'latin1');
  return readNumber(b, 0) === b.length ? lastRead.number : 'refused';
}
const parsed = (text: string): number | 'refused' => {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'number' ? v : 'refused';
  } catch {
    return 'refused';
  }
};
const same = (text: string): void => {
  const ours = readAll(text);
  const theirs = parsed(text);
  // -0 and 0 told apart.
  expect([text, typeof ours === 'number' ? Object.is(ours, -0) ? '-0' : ours : ours]).toEqual([text, typeof theirs === 'number' ? Object.is(theirs, -0) ? '-0' : theirs : theirs]);
};

describe('readNumber', () => {
  it('reads every number JSON.stringify writes as JSON.parse does', () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => same(JSON.stringify(x))), { numRuns: 20_000 });
  });

  it('reads decimals of any length, with exponents and signs, as JSON.parse does, and refuses what JSON refuses', () => {
    const digits = (max: number): fc.Arbitrary<string> => fc.stringMatching(new RegExp(`^[0-9]{1,${max}}$`));
    const text = fc
      .tuple(fc.constantFrom('', '-', '+', '--'), digits(20), fc.option(digits(25)), fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digits(4))), fc.constantFrom('', '.', 'x', 'e'))
      .map(([sign, int, frac, exp, tail]) => `${sign}${int}${frac === null ? '' : `.${frac}`}${exp === null ? '' : exp.join('')}${tail}`);
    fc.assert(fc.property(text, same), { numRuns: 20_000 });
  });

  it('reads decimals of 16 to 19 digits (above 2^53, the long way) exactly as JSON.parse does, halfway cases included', () => {
    const long = fc
      .tuple(fc.stringMatching(/^[1-9][0-9]{15,18}$/), fc.integer({ min: 1, max: 22 }), fc.boolean())
      .map(([d, cut, minus]) => `${minus ? '-' : ''}${cut >= d.length ? `0.${'0'.repeat(cut - d.length)}${d}` : `${d.slice(0, d.length - cut)}.${d.slice(d.length - cut)}`}`);
    // Midpoints between neighbouring doubles, written with 17-19 significant digits: the hardest to round.
    const halfway = fc.tuple(fc.double({ min: -1000, max: 1000, noNaN: true }), fc.integer({ min: 17, max: 19 })).map(([x, digits]) => {
      const next = x + Math.abs(x) * 2 ** -52;
      return ((x + next) / 2).toPrecision(digits);
    });
    fc.assert(fc.property(long, same), { numRuns: 20_000 });
    fc.assert(fc.property(halfway, same), { numRuns: 20_000 });
    fc.assert(fc.property(fc.double({ min: -180, max: 180, noNaN: true }), (x) => same(JSON.stringify(x))), { numRuns: 20_000 });
  });

  it.each(['0', '-0', '-0.0', '0.1', '1e400', '-1e400', '1e-400', '9007199254740993', '0.30000000000000004', '47.774471476081295', '-122.28006396304583', '9007199254740993.5', '0.1000000000000000055511151231257827', '1.0000000000000002220446049250313', '4503599627370496.5', '4503599627370497.5', '2.00000000000000011102230246251565', '1.9999999999999998889776975', '1.7976931348623157e308', '5e-324', '01', '1.', '.5', '-', '+1', '1e', '1e+', 'NaN', 'Infinity', '0x10'])('%s', (text) => {
    same(text);
  });
});

describe('skipPrimitive', () => {
  it('skips plain strings, numbers and literals only', () => {
    const past = (text: string): number => skipPrimitive(Buffer.from(text, 'latin1'), 0);
    expect(['"a b"', 'true', 'false', 'null', '-1.5e3', '""'].map(past)).toEqual([5, 4, 5, 4, 6, 2]);
    expect(['"a\\"b"', '"\u00e9"', '"a\nb"', '{}', '[]', 'nul', 'tru', '"open'].map(past)).toEqual([-1, -1, -1, -1, -1, -1, -1, -1]);
  });
});
