import fc from 'fast-check';
import { canonicalInstantMillis } from './canonical-instant';
import { epochMillis } from './epoch-millis';
import { TIMESTAMP_PATTERN } from './telemetry-fast-path';
import { timestampArbitrary } from './testing';

const read = (s: string): number => {
  const b = Buffer.from(`"${s}"`, 'latin1');
  return canonicalInstantMillis(b, 1, b.length - 1);
};

describe('canonicalInstantMillis', () => {
  it('answers only for timestamps the schema accepts, with their Date.parse time', () => {
    fc.assert(
      fc.property(timestampArbitrary(), (s) => {
        const t = read(s);
        if (!Number.isNaN(t)) expect([s, TIMESTAMP_PATTERN.test(s), t]).toEqual([s, true, Date.parse(s)]);
      }),
      { numRuns: 20_000 },
    );
  });

  it('reads every canonical UTC form the schema accepts (what toISOString writes, with or without milliseconds)', () => {
    const instant = fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true });
    fc.assert(
      fc.property(instant, fc.boolean(), (d, withMs) => {
        const iso = d.toISOString();
        const s = withMs ? iso : `${iso.slice(0, 19)}Z`;
        expect([s, read(s)]).toEqual([s, epochMillis(s)]);
      }),
      { numRuns: 20_000 },
    );
  });

  it.each([
    ['2026-11-21T22:00:00.123Z', Date.parse('2026-11-21T22:00:00.123Z')],
    ['2024-02-29T00:00:00Z', Date.parse('2024-02-29T00:00:00Z')],
    ['2000-02-29T23:59:59.999Z', Date.parse('2000-02-29T23:59:59.999Z')],
    ['0000-02-29T00:00:00Z', Date.parse('0000-02-29T00:00:00Z')],
    ['0099-12-31T23:59:59Z', Date.parse('0099-12-31T23:59:59Z')],
    ['2100-02-29T00:00:00Z', Number.NaN],
    ['2026-02-30T00:00:00Z', Number.NaN],
    ['2026-04-31T00:00:00Z', Number.NaN],
    ['2026-13-01T00:00:00Z', Number.NaN],
    ['2026-00-01T00:00:00Z', Number.NaN],
    ['2026-01-00T00:00:00Z', Number.NaN],
    ['2026-01-01T24:00:00Z', Number.NaN],
    ['2026-01-01T23:60:00Z', Number.NaN],
    ['2026-01-01T23:59:60Z', Number.NaN],
    ['2026-01-01t00:00:00Z', Number.NaN],
    ['2026-01-01T00:00:00z', Number.NaN],
    ['2026-01-01T00:00:00.12Z', Number.NaN], // valid, not canonical: the caller's pattern reads it
    ['2026-01-01T00:00:00+00:00', Number.NaN], // valid, not canonical
    ['2026-01-01T00:00:00.1234', Number.NaN],
    ['2026-01-01T0a:00:00Z', Number.NaN],
    ['+02026-01-01T00:00:00Z', Number.NaN],
  ])('%s -> %s', (s, expected) => {
    expect(read(s)).toBe(expected);
  });
});
