import fc from 'fast-check';
import { PipelineError } from '@telemetry/core';
import { checkDeviceClock, DEFAULT_MAX_CLOCK_SKEW_SECONDS, DEFAULT_MAX_EVENT_AGE_SECONDS, EARLIEST_EVENT_TIME, maxClockSkewSecondsSetting, maxEventAgeSecondsSetting } from './device-clock';
import { decodeTelemetry, type DecodedTelemetry } from './decode-telemetry';

const at = (timestamp: string): DecodedTelemetry => decodeTelemetry({ deviceId: 'drone-00001', timestamp, battery: 0.5 });
const enqueued = Date.parse('2026-11-21T22:00:00.000Z');
const verdict = (event: DecodedTelemetry, enqueuedAt = enqueued, limit = DEFAULT_MAX_CLOCK_SKEW_SECONDS, maxAgeSeconds?: number): string => {
  try {
    checkDeviceClock(event, enqueuedAt, maxAgeSeconds === undefined ? limit : { maxSkewSeconds: limit, maxAgeSeconds });
    return 'OK';
  } catch (error) {
    return error instanceof PipelineError ? `${error.code}${error.retryable ? ' retryable' : ''}` : `NOT A PIPELINE ERROR: ${String(error)}`;
  }
};

describe('the device-clock rule', () => {
  it('refuses the 9999-12-31 battery that froze a device, with a permanent code and its context', () => {
    const event = at('9999-12-31T23:59:59.000Z');
    expect(verdict(event)).toBe('EVENT_CLOCK_SKEW');
    expect(() => checkDeviceClock(event, enqueued, 300)).toThrow(
      expect.objectContaining({
        stage: 'validate',
        message: expect.stringMatching(/9999-12-31T23:59:59\.000Z .* ahead of the enqueued time 2026-11-21T22:00:00\.000Z; the limit is 300 s \(MAX_CLOCK_SKEW_SECONDS\)/),
      }),
    );
  });

  it('accepts up to the limit ahead (inclusive), and lag behind the enqueued time up to MAX_EVENT_AGE_SECONDS (inclusive)', () => {
    expect(verdict(at('2026-11-21T22:05:00.000Z'))).toBe('OK');
    expect(verdict(at('2026-11-21T22:05:00.001Z'))).toBe('EVENT_CLOCK_SKEW');
    expect(verdict(at('2026-11-21T23:00:00+01:00'))).toBe('OK');
    expect(verdict(at('2026-11-21T22:00:01Z'), enqueued, 0)).toBe('EVENT_CLOCK_SKEW');
    // Devices buffer while offline and upload days or months later; archives are replayed: by default 10 years of lag are applied.
    expect(DEFAULT_MAX_EVENT_AGE_SECONDS).toBe(3650 * 86_400);
    for (const t of ['2026-11-18T07:12:00Z', '2024-01-01T00:00:00Z', '2016-11-23T22:00:00.000Z']) expect([t, verdict(at(t))]).toEqual([t, 'OK']);
    expect(verdict(at('2016-11-23T21:59:59.999Z'))).toBe('EVENT_CLOCK_SKEW');
    // Tightened to 30 days (the suggestion for fleets that never buffer long) and to the 1-hour minimum.
    expect(verdict(at('2026-10-22T22:00:00.000Z'), enqueued, 300, 30 * 86_400)).toBe('OK');
    expect(verdict(at('2026-10-22T21:59:59.999Z'), enqueued, 300, 30 * 86_400)).toBe('EVENT_CLOCK_SKEW');
    expect(verdict(at('2026-11-21T20:59:59.999Z'), enqueued, 300, 3_600)).toBe('EVENT_CLOCK_SKEW');
    expect(verdict(at('2026-11-21T21:00:00Z'), enqueued, 300, 3_600)).toBe('OK');
  });

  it('refuses a clock reset to a plausible past (an RTC default of 2000-01-01 counting on), saying which limit', () => {
    for (const t of ['2000-01-01T00:00:00Z', '2000-01-01T00:04:31Z', '2003-06-01T12:00:00Z']) {
      expect([t, verdict(at(t))]).toEqual([t, 'EVENT_CLOCK_SKEW']);
    }
    expect(() => checkDeviceClock(at('2000-01-01T00:04:31Z'), enqueued, 300)).toThrow(
      expect.objectContaining({
        stage: 'validate',
        message: expect.stringMatching(/2000-01-01T00:04:31Z is \d+ s behind the enqueued time 2026-11-21T22:00:00\.000Z; the limit is 315360000 s \(MAX_EVENT_AGE_SECONDS\)/),
      }),
    );
    // With 30 days a clock a year behind is caught too; a fleet that buffers for a year raises it, and the same event is applied.
    expect(verdict(at('2025-11-21T22:00:00Z'), enqueued, 300, 30 * 86_400)).toBe('EVENT_CLOCK_SKEW');
    expect(verdict(at('2025-11-21T22:00:00Z'), enqueued, 300, 400 * 86_400)).toBe('OK');
  });

  it('refuses clocks that were never set: before 2000 (1970 resets, GPS rollover), year 0000 with an offset', () => {
    for (const t of ['1999-12-31T23:59:59.999Z', '1970-01-01T00:00:00Z', '1999-08-22T00:00:00Z', '0000-01-01T00:00:00+14:00', '2000-01-01T00:30:00+01:00']) {
      expect([t, verdict(at(t))]).toEqual([t, 'EVENT_CLOCK_SKEW']);
    }
    expect(EARLIEST_EVENT_TIME).toBe(Date.parse('2000-01-01T00:00:00Z'));
  });

  it('refuses an event whose enqueued time is unknown rather than skipping the check', () => {
    expect(verdict(at('2026-11-21T22:00:00Z'), Number.NaN)).toBe('EVENT_CLOCK_SKEW');
  });

  it('depends on the event and its enqueued time alone: ahead by more than the limit or before 2000 <=> refused', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }),
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 86_400 }),
        fc.integer({ min: 3_600, max: 3_153_600_000 }),
        (timestamp, enqueuedAt, limit, maxAge) => {
          const event = at(timestamp.toISOString());
          const skew = timestamp.getTime() - enqueuedAt.getTime();
          const expected = timestamp.getTime() < Date.UTC(2000, 0, 1) || skew > limit * 1000 || -skew > maxAge * 1000 ? 'EVENT_CLOCK_SKEW' : 'OK';
          expect(verdict(event, enqueuedAt.getTime(), limit, maxAge)).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('MAX_EVENT_AGE_SECONDS: whole seconds 3,600 .. 3,153,600,000, default 10 years', () => {
    expect(maxEventAgeSecondsSetting.parse(undefined)).toBe(315_360_000);
    expect(maxEventAgeSecondsSetting.parse('3600')).toBe(3_600);
    expect(maxEventAgeSecondsSetting.parse('3153600000')).toBe(3_153_600_000);
    for (const bad of ['3599', '0', '3153600001', '-1', '1.5', 'a month']) expect(maxEventAgeSecondsSetting.safeParse(bad).success).toBe(false);
  });

  it('MAX_CLOCK_SKEW_SECONDS: whole seconds 0 .. 86,400, default 300', () => {
    expect(maxClockSkewSecondsSetting.parse(undefined)).toBe(300);
    expect(maxClockSkewSecondsSetting.parse('0')).toBe(0);
    expect(maxClockSkewSecondsSetting.parse('86400')).toBe(86_400);
    for (const bad of ['86401', '-1', '1.5', 'five minutes']) expect(maxClockSkewSecondsSetting.safeParse(bad).success).toBe(false);
  });
});
