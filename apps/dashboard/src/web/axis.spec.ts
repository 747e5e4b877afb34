import fc from 'fast-check';
import { decimalsFor, multiplesWithin, niceStep, timeTicks } from './axis';

describe('axis ticks', () => {
  it('niceStep: the smallest 1, 2, 5 x 10^k at or above the raw step', () => {
    expect([0.013, 0.02, 0.021, 0.3, 0.7, 1, 4, 12, 51].map(niceStep)).toEqual([0.02, 0.02, 0.05, 0.5, 1, 1, 5, 20, 100]);
    expect([0.05, 0.1, 0.2, 1, 5, 10].map(decimalsFor)).toEqual([2, 1, 1, 0, 0, 0]);
  });

  it('multiplesWithin: exact multiples inside the range, without float drift', () => {
    expect(multiplesWithin(47.53, 47.71, 0.05)).toEqual([47.55, 47.6, 47.65, 47.7]);
    expect(multiplesWithin(-122.43, -122.29, 0.05)).toEqual([-122.4, -122.35, -122.3]);
    expect(multiplesWithin(0, 10, 5)).toEqual([0, 5, 10]);
  });

  it('timeTicks: round UTC times, the finest step that fits', () => {
    const t = (s: string) => Date.parse(`2026-12-01T${s}Z`);
    expect(timeTicks(t('10:57:03'), t('10:57:33'), 4).map((x) => new Date(x).toISOString().slice(11, 19))).toEqual(['10:57:10', '10:57:20', '10:57:30']);
    expect(timeTicks(t('10:50:00'), t('10:55:00'), 4).map((x) => new Date(x).toISOString().slice(11, 19))).toEqual(['10:50:00', '10:52:00', '10:54:00']);
  });

  it('timeTicks: never more than asked, all inside the range, each a whole second (property)', () => {
    const base = Date.parse('2026-01-01T00:00:00Z');
    fc.assert(fc.property(fc.integer({ min: 0, max: 86_400_000 }), fc.integer({ min: 1_000, max: 6 * 3_600_000 }), fc.integer({ min: 1, max: 12 }), (offset, span, max) => {
      const ticks = timeTicks(base + offset, base + offset + span, max);
      expect(ticks.length).toBeLessThanOrEqual(max);
      for (const x of ticks) {
        expect(x).toBeGreaterThanOrEqual(base + offset);
        expect(x).toBeLessThanOrEqual(base + offset + span);
        expect(x % 1_000).toBe(0);
      }
    }));
  });
});
