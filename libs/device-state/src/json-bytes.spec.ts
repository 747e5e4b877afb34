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

  it.each(['0', '-0', '-0.0', '0.1', '1e400', '-1e400', '1e-400', '9007199254740993', '0.30000000000000004', '47.774471476081295', '-122.28006396304583', '1.7976931348623157e308', '5e-324', '01', '1.', '.5', '-', '+1', '1e', '1e+', 'NaN', 'Infinity', '0x10'])('%s', (text) => {
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
