import fc from 'fast-check';
import { telemetrySchema } from './telemetry';
import { telemetryFastPath } from './telemetry-fast-path';
import { telemetryArbitrary, timestampArbitrary } from './testing';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value with its key order and undefined-valued keys made visible to toStrictEqual. */
function ordered(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return typeof value === 'number' && Object.is(value, -0) ? '-0' : value;
  if (Array.isArray(value)) return value.map(ordered);
  return Object.keys(value).map((k) => [k, ordered((value as Record<string, unknown>)[k])]);
}

function expectSameVerdictAndOutput(value: unknown): boolean {
  const schema = telemetrySchema.safeParse(value);
  const fast = telemetryFastPath(value);
  if (schema.success) expect(ordered(fast)).toStrictEqual(ordered(schema.data));
  else expect(fast).toBeUndefined();
  return schema.success;
}

// Numbers around every bound of the schema, plus what JSON or a caller can produce beyond them.
const edgeNumber = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 7, 8, 0.5, 2.5, 6.999999, -90, 90, -180, 180, -500, 20_000, 20_000.000001, 90.00000000000001, -0.000001, 1.0000000000000002),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MAX_VALUE, Number.MIN_VALUE, Number.MAX_SAFE_INTEGER + 2),
  fc.double(),
  fc.integer({ min: -10, max: 10 }),
);
// A range's numbers, its bounds and just past them.
const around = (lo: number, hi: number): fc.Arbitrary<number> =>
  fc.oneof(fc.double({ min: lo, max: hi, noNaN: true }), fc.constantFrom(lo, hi), fc.double({ min: hi, max: hi + 1, noNaN: true }), fc.double({ min: lo - 1, max: lo, noNaN: true }));
const anyValue = fc.oneof(edgeNumber, fc.boolean(), fc.string(), fc.constant(null), fc.constant(undefined), fc.constant([]), fc.constant({}), fc.constantFrom('0.5', 'true', '1'));
const sometimes = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | unknown> => fc.oneof({ arbitrary: arb, weight: 15 }, { arbitrary: anyValue, weight: 1 });
const withExtras = (arb: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Record<string, unknown>> =>
  fc.tuple(arb, fc.dictionary(fc.constantFrom('extra', 'latitude', 'battery', 'toString', 'constructor', 'x'), anyValue, { maxKeys: 2 }), fc.boolean()).map(([base, extra, extraFirst]) =>
    extraFirst ? { ...extra, ...base } : { ...base, ...extra },
  );

// Mostly complete records (so some pass), sometimes with keys missing.
const record = <T extends Record<string, fc.Arbitrary<unknown>>>(model: T): fc.Arbitrary<Record<string, unknown>> =>
  fc.oneof({ arbitrary: fc.record(model), weight: 4 }, { arbitrary: fc.record(model, { requiredKeys: [] }), weight: 1 });
const position = withExtras(record({ latitude: sometimes(around(-90, 90)), longitude: sometimes(around(-180, 180)), altitude: sometimes(around(-500, 20_000)) }));
const health = withExtras(record({ gyrometerOK: sometimes(fc.boolean()), accelerometerOK: sometimes(fc.boolean()), magnetometerOK: sometimes(fc.boolean()) }));
const deviceId = fc.oneof(
  { arbitrary: fc.constantFrom('drone-00042', 'd', 'a.b:c_d-e'), weight: 4 },
  fc.stringMatching(/^[A-Za-z0-9._:-]{1,64}$/),
  fc.constantFrom('', 'd'.repeat(64), 'd'.repeat(65), 'drone 42', 'drone-42\n', 'ドローン', 'a/b'),
  fc.string({ maxLength: 70 }),
);
const chaotic = withExtras(
  fc.record(
    {
      deviceId: sometimes(deviceId),
      timestamp: sometimes(timestampArbitrary()),
      keyFrame: sometimes(fc.boolean()),
      battery: sometimes(fc.oneof({ arbitrary: around(0, 1), weight: 3 }, edgeNumber)),
      flightMode: sometimes(fc.oneof({ arbitrary: fc.integer({ min: -1, max: 8 }), weight: 3 }, edgeNumber)),
      position: sometimes(position),
      health: sometimes(health),
    },
    { requiredKeys: [] },
  ),
);
// Valid events (any accepted timestamp form) with at most one field or nested field replaced by
// something near or past the edge, so both verdicts are common.
const acceptedTimestamp = timestampArbitrary().filter((t) => telemetrySchema.shape.timestamp.safeParse(t).success);
const mutation = fc.option(
  fc.oneof(
    fc.tuple(fc.constantFrom('deviceId', 'timestamp', 'keyFrame', 'battery', 'flightMode', 'position', 'health'), fc.oneof(anyValue, deviceId, timestampArbitrary(), position, health)),
    fc.tuple(fc.constantFrom('position.latitude', 'position.longitude', 'position.altitude', 'health.gyrometerOK', 'health.magnetometerOK'), anyValue),
    fc.tuple(fc.constant('position.latitude'), around(-90, 90)),
    fc.tuple(fc.constant('position.longitude'), around(-180, 180)),
    fc.tuple(fc.constant('position.altitude'), around(-500, 20_000)),
    fc.tuple(fc.constant('battery'), around(0, 1)),
    fc.tuple(fc.constant('flightMode'), fc.oneof(around(0, 7), fc.integer({ min: -2, max: 9 }))),
  ),
);
const nearlyValid = fc.tuple(withExtras(telemetryArbitrary(1000, 1e12) as fc.Arbitrary<Record<string, unknown>>), acceptedTimestamp, mutation).map(([event, timestamp, change]) => {
  const out: Record<string, unknown> = { ...event, timestamp, ...(isObject(event['position']) ? { position: { ...event['position'] } } : {}), ...(isObject(event['health']) ? { health: { ...event['health'] } } : {}) };
  if (change) {
    const [key, value] = change;
    const [outer, inner] = key.split('.') as [string, string | undefined];
    const target = inner === undefined ? out : out[outer];
    if (isObject(target)) target[inner ?? outer] = value;
  }
  return out;
});
const telemetryish = fc.oneof(chaotic, nearlyValid);

describe('telemetryFastPath', () => {
  it('accepts exactly what telemetrySchema accepts, with the same output (key order and undefined keys included)', () => {
    let accepted = 0;
    const runs = 4000;
    fc.assert(
      fc.property(telemetryish, (value) => {
        if (expectSameVerdictAndOutput(value)) accepted++;
      }),
      { numRuns: runs },
    );
    // The inputs must exercise both verdicts, or the comparison proves little.
    expect(accepted).toBeGreaterThan(runs * 0.1);
    expect(accepted).toBeLessThan(runs * 0.9);
  });

  it('agrees with the schema on what JSON.parse produces, including __proto__ keys and -0', () => {
    fc.assert(
      fc.property(telemetryish, fc.constantFrom('', ',"__proto__":{"deviceId":"x"}', ',"battery":-0', ',"flightMode":7.0', ',"battery":1e400'), (value, suffix) => {
        const json = JSON.stringify(value);
        void expectSameVerdictAndOutput(JSON.parse(json.length > 2 ? `${json.slice(0, -1)}${suffix}}` : json) as unknown);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with the schema on arbitrary values', () => {
    fc.assert(fc.property(fc.anything({ withNullPrototype: true, withObjectString: true }), (v) => void expectSameVerdictAndOutput(v)), { numRuns: 2000 });
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => void expectSameVerdictAndOutput(v)), { numRuns: 2000 });
  });

  it('agrees with the schema on objects inheriting the fields or made without a prototype', () => {
    const base = { deviceId: 'd1', timestamp: '2026-11-21T22:00:00Z', battery: 0.5 };
    expectSameVerdictAndOutput(Object.create(base));
    expectSameVerdictAndOutput(Object.assign(Object.create(null), base));
    expectSameVerdictAndOutput(Object.assign(Object.create(null), { ...base, position: Object.assign(Object.create(null), { latitude: 1, longitude: 2, altitude: 3 }) }));
    expectSameVerdictAndOutput(new Date());
    expectSameVerdictAndOutput(new Map(Object.entries(base)));
  });
});
