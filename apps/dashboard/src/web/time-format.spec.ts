import fc from 'fast-check';
import { formatUtc, UTC_TIME_PATTERN } from './time-format';

describe('formatUtc: the one time format of the page', () => {
  const now = Date.parse('2026-12-01T10:58:05.250Z');

  it('a moment of the same UTC day: HH:MM:SS UTC (24-hour, seconds truncated); another day: its ISO date first', () => {
    expect(formatUtc('2026-12-01T00:00:00Z', now)).toBe('00:00:00 UTC');
    expect(formatUtc('2026-12-01T23:59:59.999Z', now)).toBe('23:59:59 UTC');
    expect(formatUtc(Date.parse('2026-12-01T13:05:09.900Z'), now)).toBe('13:05:09 UTC');
    expect(formatUtc('2026-11-30T23:59:59Z', now)).toBe('2026-11-30 23:59:59 UTC');
    expect(formatUtc(new Date('2026-03-01T09:58:00Z'), now)).toBe('2026-03-01 09:58:00 UTC');
  });

  it('offsets in the input are converted, not kept: the page shows UTC only', () => {
    expect(formatUtc('2026-12-01T12:30:00+02:00', now)).toBe('10:30:00 UTC');
    expect(formatUtc('2026-12-02T00:30:00+02:00', now)).toBe('22:30:00 UTC');
  });

  it('absent or unparseable: a dash, never "Invalid Date"', () => {
    expect(formatUtc(null, now)).toBe('—');
    expect(formatUtc(undefined, now)).toBe('—');
    expect(formatUtc('not a time', now)).toBe('—');
  });

  it('every moment matches the pattern the browser test scans the page with (property)', () => {
    const whole = new RegExp(`^${UTC_TIME_PATTERN.source}$`);
    const year2000to2100 = fc.integer({ min: 946_684_800_000, max: 4_102_444_800_000 });
    fc.assert(fc.property(year2000to2100, year2000to2100, (t, at) => {
      const text = formatUtc(t, at);
      expect(text).toMatch(whole);
      expect(text.length === 12).toBe(new Date(t).toISOString().slice(0, 10) === new Date(at).toISOString().slice(0, 10));
    }));
  });
});
