import fc from 'fast-check';
import type { Telemetry } from '../telemetry';

const BASE = Date.parse('2026-11-21T22:00:00.000Z');

/** Valid telemetry for a small set of devices over a short time range, so ties and overlaps happen. */
export function telemetryArbitrary(devices = 5, spanMs = 50): fc.Arbitrary<Telemetry> {
  return fc.record(
    {
      deviceId: fc.integer({ min: 0, max: devices - 1 }).map((i) => `drone-${String(i).padStart(5, '0')}`),
      timestamp: fc.integer({ min: 0, max: spanMs }).map((d) => new Date(BASE + d).toISOString()),
      keyFrame: fc.boolean(),
      battery: fc.double({ min: 0, max: 1, noNaN: true }),
      flightMode: fc.integer({ min: 0, max: 7 }),
      position: fc.record({
        latitude: fc.double({ min: -90, max: 90, noNaN: true }),
        longitude: fc.double({ min: -180, max: 180, noNaN: true }),
        altitude: fc.double({ min: -500, max: 20_000, noNaN: true }),
      }),
      health: fc.record({ gyrometerOK: fc.boolean(), accelerometerOK: fc.boolean(), magnetometerOK: fc.boolean() }),
    },
    { requiredKeys: ['deviceId', 'timestamp'] },
  );
}

/** A deterministic drone event, for fixtures. */
export function makeTelemetry(device: number, secondsAfterBase: number, extra: Partial<Telemetry> = {}): Telemetry {
  return {
    deviceId: `drone-${String(device).padStart(5, '0')}`,
    timestamp: new Date(BASE + secondsAfterBase * 1000).toISOString(),
    ...extra,
  };
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * ISO 8601-ish timestamps, valid and not: any year 0000-9999 (leap days included), fractions of
 * 0-9 digits, `Z` or an offset, and near misses (no zone, 24:00, 30 February, lower-case z, a space).
 */
export function timestampArbitrary(): fc.Arbitrary<string> {
  const date = fc.record({ y: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 99, 100, 1900, 2000, 2024, 2026, 2100)), m: fc.integer({ min: 0, max: 13 }), d: fc.integer({ min: 0, max: 32 }) });
  const time = fc.record({ h: fc.integer({ min: 0, max: 24 }), mi: fc.integer({ min: 0, max: 60 }), s: fc.integer({ min: 0, max: 60 }) });
  const fraction = fc.oneof(fc.constant(''), fc.stringMatching(/^\.[0-9]{1,9}$/), fc.constantFrom('.', '.000', '.999'));
  const zone = fc.oneof(fc.constant('Z'), fc.constantFrom('', 'z', '+00:00', '-00:00', '+23:59', '-23:59', '+24:00', '+05:30', '+0530', '+05'), fc.record({ sign: fc.constantFrom('+', '-'), h: fc.integer({ min: 0, max: 23 }), m: fc.integer({ min: 0, max: 59 }) }).map(({ sign, h, m }) => `${sign}${pad(h, 2)}:${pad(m, 2)}`));
  const separator = fc.constantFrom('T', 'T', 'T', ' ', 't');
  const composed = fc.tuple(date, separator, time, fraction, zone).map(([{ y, m, d }, sep, { h, mi, s }, f, z]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}${sep}${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${f}${z}`);
  const realistic = fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }).map((d) => d.toISOString());
  return fc.oneof(composed, realistic, fc.constantFrom('2026-02-29T00:00:00Z', '2024-02-29T00:00:00Z', '2100-02-29T00:00:00Z', '2000-02-29T00:00:00Z', '2026-11-21T22:00:00.123Z'));
}
