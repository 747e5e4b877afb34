import fc from 'fast-check';
import type { Telemetry } from '@telemetry/device-state';

/** One hostile body, ready to send: what must happen to it is in `kind` (and `expectedCode`). */
export interface HostileBody {
  /** Partition key, and the device it claims to be. */
  deviceId: string;
  body: Buffer;
  /** `corrupt`: must be dead-lettered; `valid`: hostile extras around valid telemetry, must be applied without them. */
  kind: 'valid' | 'corrupt';
  /** What it attacks (bad-utf8, deep-nesting, huge-number, prototype-pollution, oversize, not-an-object, garbage). */
  attack: string;
  expectedCode?: string;
  /** For `valid`: the telemetry as the wire contract keeps it (unknown keys stripped). */
  telemetry?: Telemetry;
}

export interface HostileOptions {
  count: number;
  seed: number;
  /** Device clock of the first valid hostile event (epoch ms). */
  startTime: number;
  /** Devices the valid hostile events spread over (`fuzz-NNN`). */
  devices?: number;
  /** At most this many oversize bodies (each 64 KiB - 256 KiB). */
  maxOversize?: number;
}

/** The wire limit ingestion enforces (libs/device-state MAX_EVENT_BYTES). */
const LIMIT = 64 * 1024;
const POLLUTING_KEYS = ['__proto__', 'constructor', 'prototype', '__defineGetter__', 'hasOwnProperty', 'toString', 'valueOf'];
const HUGE = ['1e400', '-1e400', '1e309', '123456789012345678901234567890123456789', '9007199254740993', '1.7976931348623159e308', '-2e308'];

const json = (v: unknown): string => JSON.stringify(v);
const nest = (depth: number, open: string, close: string, core: string): string => open.repeat(depth) + core + close.repeat(depth);

/**
 * Byte sequences that are invalid UTF-8 when they stand between ASCII bytes (0xFF, 0xFE; a lone
 * continuation; a truncated or overlong sequence; a surrogate). Random bytes around them could
 * otherwise complete them into valid characters, so the generator puts an ASCII byte either side.
 */
const invalidUtf8 = fc.constantFrom([0xff], [0xfe], [0x80], [0xc3, 0x28], [0xe2, 0x28, 0xa1], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]);

function corruptArbitrary(deviceId: () => string, timestamp: () => string): fc.Arbitrary<Omit<HostileBody, 'deviceId'> & { deviceId?: string }> {
  const badUtf8 = fc.tuple(fc.uint8Array({ maxLength: 200 }), invalidUtf8, fc.uint8Array({ maxLength: 50 })).map(([before, bad, after]) => ({
    body: Buffer.concat([Buffer.from(`{"deviceId":"${deviceId()}","timestamp":"${timestamp()}","note":"`), Buffer.from(before), Buffer.from('A'), Buffer.from(bad), Buffer.from('A'), Buffer.from(after), Buffer.from('"}')]),
    kind: 'corrupt' as const, attack: 'bad-utf8', expectedCode: 'EVENT_ENCODING',
  }));
  const deepNesting = fc.tuple(fc.integer({ min: 50, max: 12_000 }), fc.constantFrom('array', 'object', 'position', 'battery')).map(([depth, where]) => {
    const head = `"deviceId":"${deviceId()}","timestamp":"${timestamp()}"`;
    const text =
      where === 'array' ? nest(depth, '[', ']', '1')
      : where === 'object' ? nest(depth, '{"a":', '}', '1')
      : where === 'position' ? `{${head},"position":${nest(depth, '{"latitude":', '}', '1')}}`
      : `{${head},"battery":${nest(depth, '[', ']', '0.5')}}`;
    return { body: Buffer.from(text), kind: 'corrupt' as const, attack: 'deep-nesting', expectedCode: where === 'array' ? 'EVENT_MALFORMED' : 'EVENT_INVALID' };
  });
  const hugeNumber = fc.tuple(fc.constantFrom('battery', 'flightMode', 'latitude', 'altitude'), fc.constantFrom(...HUGE)).map(([field, literal]) => {
    const head = `"deviceId":"${deviceId()}","timestamp":"${timestamp()}"`;
    const text = field === 'battery' || field === 'flightMode'
      ? `{${head},"${field}":${literal}}`
      : `{${head},"position":{"latitude":${field === 'latitude' ? literal : '1'},"longitude":2,"altitude":${field === 'altitude' ? literal : '3'}}}`;
    return { body: Buffer.from(text), kind: 'corrupt' as const, attack: 'huge-number', expectedCode: 'EVENT_INVALID' };
  });
  const pollutionInvalid = fc.tuple(fc.subarray(POLLUTING_KEYS, { minLength: 1 }), fc.constantFrom('"full"', '-1', '{"__proto__":{"isAdmin":true}}', 'null')).map(([keys, battery]) => {
    const extras = keys.map((k) => `"${k}":{"isAdmin":true,"__proto__":{"polluted":1}}`).join(',');
    return { body: Buffer.from(`{${extras},"deviceId":"${deviceId()}","timestamp":"${timestamp()}","battery":${battery}}`), kind: 'corrupt' as const, attack: 'prototype-pollution', expectedCode: 'EVENT_INVALID' };
  });
  const notAnObject = fc.oneof(fc.jsonValue({ maxDepth: 3 }).filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)), fc.constant(null)).map((v) => ({
    body: Buffer.from(json(v) ?? 'null'), kind: 'corrupt' as const, attack: 'not-an-object', expectedCode: 'EVENT_MALFORMED',
  }));
  const garbage = fc.string({ unit: 'binary', maxLength: 300 }).map((s) => `\u0000${s}`).map((s) => ({
    body: Buffer.from(s, 'utf8'), kind: 'corrupt' as const, attack: 'garbage', expectedCode: 'EVENT_MALFORMED',
  }));
  return fc.oneof(
    { arbitrary: badUtf8, weight: 3 },
    { arbitrary: deepNesting, weight: 2 },
    { arbitrary: hugeNumber, weight: 3 },
    { arbitrary: pollutionInvalid, weight: 3 },
    { arbitrary: notAnObject, weight: 1 },
    { arbitrary: garbage, weight: 1 },
  );
}

const telemetryArbitrary = (deviceId: string, timestamp: string): fc.Arbitrary<Telemetry> =>
  fc.record(
    {
      battery: fc.integer({ min: 0, max: 1000 }).map((n) => n / 1000),
      flightMode: fc.integer({ min: 0, max: 7 }),
      position: fc.record({
        latitude: fc.integer({ min: -90_000, max: 90_000 }).map((n) => n / 1000),
        longitude: fc.integer({ min: -180_000, max: 180_000 }).map((n) => n / 1000),
        altitude: fc.integer({ min: 0, max: 2000 }),
      }),
      health: fc.record({ gyrometerOK: fc.boolean(), accelerometerOK: fc.boolean(), magnetometerOK: fc.boolean() }),
    },
    { requiredKeys: [] },
  ).map((fields) => ({ deviceId, timestamp, ...fields }));

/** Valid telemetry wrapped in hostile extras that the contract must strip: polluting keys, deep nesting, huge numbers. */
function validHostileArbitrary(deviceId: string, timestamp: string): fc.Arbitrary<HostileBody> {
  const extra = fc.oneof(
    fc.subarray(POLLUTING_KEYS, { minLength: 1 }).map((keys) => keys.map((k) => `"${k}":{"isAdmin":true,"polluted":"yes"}`).join(',')),
    fc.integer({ min: 50, max: 5_000 }).map((d) => `"extra":${nest(d, '{"x":', '}', '1')}`),
    fc.constantFrom(...HUGE).map((n) => `"unknownBig":${n}`),
  );
  return fc.tuple(telemetryArbitrary(deviceId, timestamp), extra, fc.boolean()).map(([telemetry, extras, first]) => {
    const core = json(telemetry).slice(1, -1);
    return { deviceId, body: Buffer.from(`{${first ? `${extras},${core}` : `${core},${extras}`}}`), kind: 'valid' as const, attack: 'hostile-extras', telemetry };
  });
}

/**
 * Hostile bodies from fast-check, reproducible from the seed: about two thirds must be rejected
 * (bad UTF-8, deep nesting, huge numbers, prototype-pollution keys with invalid fields, not an
 * object, garbage, oversize) and one third is valid telemetry carrying hostile extras that must be
 * stripped. Every body stays under the wire limit except the oversize ones.
 */
export function hostileBodies(options: HostileOptions): HostileBody[] {
  const devices = options.devices ?? 50;
  const maxOversize = options.maxOversize ?? Math.max(1, Math.floor(options.count / 100));
  let clock = options.startTime;
  let n = 0;
  const nextTimestamp = (): string => new Date(++clock).toISOString();
  const nextDevice = (): string => `fuzz-${String(n++ % devices).padStart(3, '0')}`;
  const out: HostileBody[] = [];
  const seeds = fc.sample(fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer()), { numRuns: options.count, seed: options.seed });
  let oversize = 0;
  for (const [roll, seed] of seeds) {
    const deviceId = nextDevice();
    const timestamp = nextTimestamp();
    if (roll < 2 && oversize < maxOversize) {
      oversize++;
      const padding = LIMIT + 1 + (Math.abs(seed) % (192 * 1024));
      out.push({ deviceId, body: Buffer.from(json({ deviceId, timestamp, battery: 0.5, padding: 'x'.repeat(padding) })), kind: 'corrupt', attack: 'oversize', expectedCode: 'EVENT_OVERSIZE' });
      continue;
    }
    const arbitrary = roll < 35 ? validHostileArbitrary(deviceId, timestamp) : corruptArbitrary(() => deviceId, () => timestamp).map((b) => ({ ...b, deviceId }));
    const [body] = fc.sample(arbitrary, { numRuns: 1, seed });
    if (!body) continue;
    if (body.body.byteLength > LIMIT) continue; // deep nesting near the limit: keep size classes honest
    out.push(body);
  }
  return out;
}
