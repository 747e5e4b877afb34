import { parseNcrontab } from './ncrontab';
import { parseTimerSchedule } from './timer-schedule';

const at = (iso: string): Date => new Date(iso);
const next = (expr: string, from: string): string => parseNcrontab(expr).next(at(from)).toISOString();

describe('NCRONTAB', () => {
  it('every second and every 5 seconds', () => {
    expect(next('* * * * * *', '2026-01-01T00:00:00.500Z')).toBe('2026-01-01T00:00:01.000Z');
    expect(next('*/1 * * * * *', '2026-01-01T00:00:01.000Z')).toBe('2026-01-01T00:00:02.000Z');
    expect(next('*/5 * * * * *', '2026-01-01T00:00:07.000Z')).toBe('2026-01-01T00:00:10.000Z');
  });

  it('the docs examples', () => {
    // Once at the top of every hour.
    expect(next('0 0 * * * *', '2026-03-04T10:20:00Z')).toBe('2026-03-04T11:00:00.000Z');
    // Every 2 hours.
    expect(next('0 0 */2 * * *', '2026-03-04T11:00:00Z')).toBe('2026-03-04T12:00:00.000Z');
    // 9:30 every weekday (Mon-Fri); 2026-03-07 is a Saturday.
    expect(next('0 30 9 * * 1-5', '2026-03-06T10:00:00Z')).toBe('2026-03-09T09:30:00.000Z');
    // Names, lists, ranges.
    expect(next('0 0 9 * Jan,Jul Mon', '2026-02-01T00:00:00Z')).toBe('2026-07-06T09:00:00.000Z');
    expect(next('5-10/5 * * * * *', '2026-01-01T00:00:06Z')).toBe('2026-01-01T00:00:10.000Z');
    // Sunday as 0 or 7.
    expect(next('0 0 0 * * 7', '2026-03-04T00:00:00Z')).toBe('2026-03-08T00:00:00.000Z');
  });

  it('both day fields must match (NCRONTAB AND semantics)', () => {
    // The 13th that is a Friday: 2026-02-13 and 2026-03-13.
    expect(next('0 0 0 13 * Fri', '2026-01-01T00:00:00Z')).toBe('2026-02-13T00:00:00.000Z');
  });

  it('refuses 5 fields as Azure does (it parses with seconds), and bad input', () => {
    expect(() => parseNcrontab('*/15 * * * *')).toThrow(/expected 6 fields .*not recognized as a valid cron expression or timespan string/);
    expect(next('0 */15 * * * *', '2026-01-01T00:01:00Z')).toBe('2026-01-01T00:15:00.000Z');
    expect(() => parseNcrontab('* * *')).toThrow(/expected 6 fields/);
    expect(() => parseNcrontab('61 * * * * *')).toThrow(/bad second/);
    expect(() => parseNcrontab('*/0 * * * * *')).toThrow(/bad step/);
    expect(() => parseNcrontab('0 0 0 30 2 *').next(at('2026-01-01T00:00:00Z'))).toThrow(/no occurrence/);
  });

  it('TimeSpan schedules and the useMonitor default', () => {
    const s = parseTimerSchedule('00:00:30');
    expect(s.next(at('2026-01-01T00:00:00Z')).toISOString()).toBe('2026-01-01T00:00:30.000Z');
    expect(s.defaultUseMonitor).toBe(false);
    expect(parseTimerSchedule('0 */5 * * * *').defaultUseMonitor).toBe(true);
    expect(parseTimerSchedule('*/1 * * * * *').defaultUseMonitor).toBe(false);
  });
});
