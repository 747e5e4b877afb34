import fc from 'fast-check';
import { PipelineError } from '@telemetry/core';
import { checkDeviceClock, DEFAULT_MAX_CLOCK_SKEW_SECONDS, EARLIEST_EVENT_TIME, maxClockSkewSecondsSetting } from './device-clock';
import { decodeTelemetry, type DecodedTelemetry } from './decode-telemetry';

const at = (timestamp: string): DecodedTelemetry => decodeTelemetry({ deviceId: 'drone-00001', timestamp, battery: 0.5 });
const enqueued = Date.parse('2026-11-21T22:00:00.000Z');
const verdict = (event: DecodedTelemetry, enqueuedAt = enqueued, limit = DEFAULT_MAX_CLOCK_SKEW_SECONDS): string => {
  try {
    checkDeviceClock(event, enqueuedAt, limit);
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

  it('accepts up to the limit ahead (inclusive), and any lag behind the enqueued time after 2000', () => {
    expect(verdict(at('2026-11-21T22:05:00.000Z'))).toBe('OK');
    expect(verdict(at('2026-11-21T22:05:00.001Z'))).toBe('EVENT_CLOCK_SKEW');
    expect(verdict(at('2026-11-21T23:00:00+01:00'))).toBe('OK');
    expect(verdict(at('2026-11-21T22:00:01Z'), enqueued, 0)).toBe('EVENT_CLOCK_SKEW');
    // Devices buffer while offline and upload days later: lag is never refused.
    expect(verdict(at('2000-01-01T00:00:00Z'))).toBe('OK');
    expect(verdict(at('2025-01-01T00:00:00Z'))).toBe('OK');
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
        (timestamp, enqueuedAt, limit) => {
          const event = at(timestamp.toISOString());
          const expected = timestamp.getTime() < Date.UTC(2000, 0, 1) || timestamp.getTime() - enqueuedAt.getTime() > limit * 1000 ? 'EVENT_CLOCK_SKEW' : 'OK';
          expect(verdict(event, enqueuedAt.getTime(), limit)).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('MAX_CLOCK_SKEW_SECONDS: whole seconds 0 .. 86,400, default 300', () => {
    expect(maxClockSkewSecondsSetting.parse(undefined)).toBe(300);
    expect(maxClockSkewSecondsSetting.parse('0')).toBe(0);
    expect(maxClockSkewSecondsSetting.parse('86400')).toBe(86_400);
    for (const bad of ['86401', '-1', '1.5', 'five minutes']) expect(maxClockSkewSecondsSetting.safeParse(bad).success).toBe(false);
  });
});
