import { IOT_HUB_DEVICE_ID_PATTERN } from './device-id';
import { DEVICE_ID_PATTERN, telemetrySchema, type Health, type Position, type Telemetry } from './telemetry';

// The pattern zod checks `timestamp` against (z.iso.datetime({ offset: true })), taken from the
// schema itself so there is one definition. It already rejects impossible dates (30 February).
export const TIMESTAMP_PATTERN: RegExp = (() => {
  const pattern = (telemetrySchema.shape.timestamp._zod.def as { pattern?: unknown }).pattern;
  if (!(pattern instanceof RegExp) || pattern.global || pattern.sticky) throw new Error('telemetrySchema.timestamp has no usable pattern');
  return pattern;
})();

type Input = Record<string, unknown>;

const isObject = (v: unknown): v is Input => typeof v === 'object' && v !== null && !Array.isArray(v);
// z.number() accepts finite numbers only (no NaN, no ±Infinity); min/max are inclusive.
const inRange = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && v >= min && v <= max;

function position(v: unknown): Position | undefined {
  if (!isObject(v)) return undefined;
  const { latitude, longitude, altitude } = v;
  if (!inRange(latitude, -90, 90) || !inRange(longitude, -180, 180) || !inRange(altitude, -500, 20_000)) return undefined;
  return { latitude, longitude, altitude };
}

function health(v: unknown): Health | undefined {
  if (!isObject(v)) return undefined;
  const { gyrometerOK, accelerometerOK, magnetometerOK } = v;
  if (typeof gyrometerOK !== 'boolean' || typeof accelerometerOK !== 'boolean' || typeof magnetometerOK !== 'boolean') return undefined;
  return { gyrometerOK, accelerometerOK, magnetometerOK };
}

/**
 * `telemetrySchema.safeParse(value).data` without zod's general machinery (a third of the pure
 * path's time), or undefined when the value would not pass. Same output, key order included:
 * shape order, unknown keys stripped, an optional key present with `undefined` kept. The zod schema
 * stays the contract: callers re-run it on undefined (for its messages), and
 * telemetry-fast-path.spec.ts proves both agree on arbitrary inputs.
 */
export function telemetryFastPath(value: unknown, authenticatedDeviceId?: string): Telemetry | undefined {
  if (!isObject(value)) return undefined;
  const { timestamp } = value;
  // IoT Hub mode: the authenticated id stands in for the body's (the caller refused a different one).
  const deviceId = authenticatedDeviceId ?? value['deviceId'];
  const idPattern = authenticatedDeviceId === undefined ? DEVICE_ID_PATTERN : IOT_HUB_DEVICE_ID_PATTERN;
  if (typeof deviceId !== 'string' || !idPattern.test(deviceId)) return undefined;
  if (typeof timestamp !== 'string' || !TIMESTAMP_PATTERN.test(timestamp)) return undefined;
  const out: Telemetry = { deviceId, timestamp };
  if ('keyFrame' in value) {
    const v = value['keyFrame'];
    if (v !== undefined && typeof v !== 'boolean') return undefined;
    out.keyFrame = v;
  }
  if ('battery' in value) {
    const v = value['battery'];
    if (v !== undefined && !inRange(v, 0, 1)) return undefined;
    out.battery = v;
  }
  if ('flightMode' in value) {
    const v = value['flightMode'];
    if (v !== undefined && !(inRange(v, 0, 7) && Number.isInteger(v))) return undefined;
    out.flightMode = v;
  }
  if ('position' in value) {
    const v = value['position'];
    const p = v === undefined ? undefined : position(v);
    if (v !== undefined && p === undefined) return undefined;
    out.position = p;
  }
  if ('health' in value) {
    const v = value['health'];
    const h = v === undefined ? undefined : health(v);
    if (v !== undefined && h === undefined) return undefined;
    out.health = h;
  }
  return out;
}
