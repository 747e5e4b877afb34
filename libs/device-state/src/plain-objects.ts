import type { DecodedTelemetry } from './decode-telemetry';
import type { Health, Position, Telemetry } from './telemetry';

/*
 * Constructors for the scanner's results, whose instances are plain objects (prototype
 * Object.prototype, constructor Object, own keys in assignment order): nothing tells them from the
 * literals JSON.parse and the schema make. Why not literals: V8 tracks each object literal's
 * allocation site, and a batch holds its decoded events across a young-generation collection, so
 * the sites soon look long-lived and V8 starts allocating them in the old generation
 * ("pretenuring"), which made decoding three times slower (measured: 3.8 us vs 1.2 us per event;
 * the same run with --no-allocation-site-pretenuring: 1.2 us). Objects made by `new` are not
 * tracked that way.
 */

type Constructor<T, A extends unknown[]> = new (...args: A) => T;

function plain<T, A extends unknown[]>(init: (this: T, ...args: A) => void): Constructor<T, A> {
  const make = init as unknown as Constructor<T, A> & { prototype: object };
  make.prototype = Object.prototype;
  return make;
}

export const PlainPosition = plain(function (this: Position, latitude: number, longitude: number, altitude: number) {
  this.latitude = latitude;
  this.longitude = longitude;
  this.altitude = altitude;
});

export const PlainHealth = plain(function (this: Health, gyrometerOK: boolean, accelerometerOK: boolean, magnetometerOK: boolean) {
  this.gyrometerOK = gyrometerOK;
  this.accelerometerOK = accelerometerOK;
  this.magnetometerOK = magnetometerOK;
});

/** Telemetry with its two required keys; the caller adds the optional ones in shape order. */
export const PlainTelemetry = plain(function (this: Telemetry, deviceId: string, timestamp: string) {
  this.deviceId = deviceId;
  this.timestamp = timestamp;
});

export const PlainDecoded = plain(function (this: DecodedTelemetry, telemetry: Telemetry, time: number) {
  this.telemetry = telemetry;
  this.time = time;
});
