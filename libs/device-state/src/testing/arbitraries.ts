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
