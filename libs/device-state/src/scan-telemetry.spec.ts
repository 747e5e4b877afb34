import fc from 'fast-check';
import { decodeTelemetryReference } from './decode-reference';
import { decodeTelemetry, type DecodedTelemetry } from './decode-telemetry';
import type { AuthenticatedDevice } from './iot-hub-identity';
import { scanTelemetry } from './scan-telemetry';
import { timestampArbitrary } from './testing';

/** A value with key order and -0 made visible to toStrictEqual. */
function ordered(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return typeof value === 'number' && Object.is(value, -0) ? '-0' : value;
  return Object.keys(value).map((k) => [k, ordered((value as Record<string, unknown>)[k])]);
}
/** Everything a caller can observe of one decode: the result, or the error's class, code and message. */
function outcome(decode: () => DecodedTelemetry): unknown {
  try {
    return ordered(decode());
  } catch (error) {
    const e = error as Error & { code?: unknown };
    return ['threw', e.constructor.name, e.code, e.message];
  }
}
/** decodeTelemetry (scanner first) and the reference way agree on everything, for every body type. */
function agree(body: string | Uint8Array, device?: AuthenticatedDevice): void {
  const bodies: unknown[] = typeof body === 'string' ? [body] : [Buffer.from(body), new Uint8Array(body), new Uint8Array(body).buffer];
  for (const b of bodies) expect(outcome(() => decodeTelemetry(b, device))).toStrictEqual(outcome(() => decodeTelemetryReference(b, device)));
}

const ws = fc.constantFrom('', '', '', ' ', '\n', '\t', '\r\n  ');
const num = (lo: number, hi: number): fc.Arbitrary<number> =>
  fc.oneof(fc.double({ min: lo, max: hi, noNaN: true }), fc.constantFrom(lo, hi, 0, -0), fc.double({ min: hi, max: hi + 1, noNaN: true }), fc.integer({ min: lo, max: hi }));
const deviceIdArb = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 999 }).map((i) => `drone-${String(i).padStart(5, '0')}`), weight: 4 },
  fc.stringMatching(/^[A-Za-z0-9._:-]{1,66}$/),
  fc.constantFrom('', '.', 'a.', 'drone 42', 'a/b', 'ドローン', 'd\u0000', 'a"b', 'a\\b', "it's"),
);
const unknownValue = fc.oneof(fc.string({ maxLength: 8 }), fc.double(), fc.boolean(), fc.constant(null), fc.constant({ a: [1] }), fc.constant([]));
/** The members of a telemetry object, each present or not, mostly valid. */
const members = fc.record(
  {
    deviceId: deviceIdArb,
    timestamp: fc.oneof({ arbitrary: fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()), weight: 3 }, timestampArbitrary()),
    keyFrame: fc.oneof({ arbitrary: fc.boolean(), weight: 5 }, fc.constantFrom(0, 'true', null)),
    battery: fc.oneof({ arbitrary: num(0, 1), weight: 5 }, fc.constantFrom('0.5', null, 2)),
    flightMode: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 7 }), weight: 5 }, num(-1, 8)),
    position: fc.oneof(
      { arbitrary: fc.record({ latitude: num(-90, 90), longitude: num(-180, 180), altitude: num(-500, 20_000) }, { requiredKeys: [] }), weight: 6 },
      fc.constantFrom(null, [], 'here'),
      fc.record({ latitude: num(-90, 90), longitude: num(-180, 180), altitude: num(-500, 20_000), extra: unknownValue }),
    ),
    health: fc.oneof(
      { arbitrary: fc.record({ gyrometerOK: fc.boolean(), accelerometerOK: fc.boolean(), magnetometerOK: fc.boolean() }, { requiredKeys: [] }), weight: 6 },
      fc.record({ gyrometerOK: fc.constantFrom(true, 1, null), accelerometerOK: fc.boolean(), magnetometerOK: fc.boolean(), proto: unknownValue }),
    ),
    extra: unknownValue,
    proto: unknownValue,
  },
  { requiredKeys: [] },
);
/** A member's key as written: `proto` stands for `__proto__` (an own key in JSON.parse's output, a prototype in an object literal). */
const keyText = (k: string): string => JSON.stringify(k === 'proto' ? '__proto__' : k);
/** JSON text of the members in any order, with whitespace anywhere JSON allows it. */
const jsonText = (model: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<string> =>
  fc.tuple(model, fc.infiniteStream(ws)).chain(([m, spaces]) =>
    fc.shuffledSubarray(Object.keys(m), { minLength: Object.keys(m).length }).map((keys) => {
      const sp = (): string => spaces.next().value as string;
      const value = (v: unknown): string =>
        typeof v === 'object' && v !== null && !Array.isArray(v) ? `{${sp()}${Object.entries(v).map(([k, x]) => `${keyText(k)}${sp()}:${sp()}${JSON.stringify(x)}`).join(`${sp()},${sp()}`)}${sp()}}` : JSON.stringify(v);
      return `${sp()}{${sp()}${keys.map((k) => `${keyText(k)}${sp()}:${sp()}${value(m[k])}`).join(`${sp()},${sp()}`)}${sp()}}${sp()}`;
    }),
  );
const text = jsonText(members);
/** Valid events in plain JSON, unknown fields of plain values included. */
const plainValid = jsonText(
  fc.record(
    {
      deviceId: fc.stringMatching(/^[A-Za-z0-9._:-]{0,63}[A-Za-z0-9_:-]$/),
      timestamp: fc.oneof(fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }).map((d) => d.toISOString()), fc.constantFrom('2026-11-21T22:00:00Z', '2026-11-21T22:00:00.5+01:00')),
      keyFrame: fc.boolean(),
      battery: fc.double({ min: 0, max: 1, noNaN: true }),
      flightMode: fc.integer({ min: 0, max: 7 }),
      position: fc.record({ latitude: fc.double({ min: -90, max: 90, noNaN: true }), longitude: fc.double({ min: -180, max: 180, noNaN: true }), altitude: fc.double({ min: -500, max: 20_000, noNaN: true }) }),
      health: fc.record({ gyrometerOK: fc.boolean(), accelerometerOK: fc.boolean(), magnetometerOK: fc.boolean() }),
      extra: fc.oneof(fc.stringMatching(/^[ !#-Z^-~]{0,10}$/), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)),
      proto: fc.constantFrom(1, 'x', null),
    },
    { requiredKeys: ['deviceId', 'timestamp'] },
  ),
);
const tokens = ['{', '}', '[', ']', '"', ',', ':', '\\', '\\u0064', ' ', '0', '9', '-', '.', 'e', 'E', '+', 'true', 'null', 'é', '\u0000', '"deviceId":"d2"', '"battery":0.5', '"timestamp":"2026-11-21T22:00:00Z"', '\uFEFF'];
/** Text damaged by up to three edits: a token inserted, a character deleted or replaced. */
const damaged = fc.tuple(text, fc.array(fc.tuple(fc.nat(), fc.constantFrom(...tokens), fc.constantFrom('insert', 'delete', 'replace')), { minLength: 1, maxLength: 3 })).map(([t, edits]) => {
  let s = t;
  for (const [at, token, kind] of edits) {
    const i = s.length === 0 ? 0 : at % s.length;
    s = kind === 'insert' ? s.slice(0, i) + token + s.slice(i) : kind === 'delete' ? s.slice(0, i) + s.slice(i + 1) : s.slice(0, i) + token + s.slice(i + 1);
  }
  return s;
});
/** UTF-8 of the text with up to two bytes overwritten by any byte (invalid UTF-8 included). */
const damagedBytes = fc.tuple(text, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 2 })).map(([t, edits]) => {
  const b = Buffer.from(t, 'utf8');
  for (const [at, byte] of edits) if (b.length > 0) b[at % b.length] = byte;
  return new Uint8Array(b);
});

describe('scanTelemetry', () => {
  it('reads the plain JSON devices write, in any key order and spacing', () => {
    const body = `{"deviceId":"drone-00042","timestamp":"2026-11-21T22:00:00.123Z","position":{"latitude":47.774471476081295,"longitude":-122.28006396304583,"altitude":107.3},"battery":0.539,"keyFrame":true,"flightMode":0,"health":{"gyrometerOK":true,"accelerometerOK":false,"magnetometerOK":true},"firmware":"1.2.3"}`;
    const scanned = scanTelemetry(Buffer.from(body));
    expect(ordered(scanned)).toStrictEqual(ordered(decodeTelemetryReference(Buffer.from(body))));
    expect(Object.keys(scanned!.telemetry)).toEqual(['deviceId', 'timestamp', 'keyFrame', 'battery', 'flightMode', 'position', 'health']);
    // Plain objects, as JSON.parse and the schema make them (they are built by constructors: plain-objects.ts).
    for (const o of [scanned, scanned!.telemetry, scanned!.telemetry.position, scanned!.telemetry.health]) {
      expect([Object.getPrototypeOf(o), (o as object).constructor]).toEqual([Object.prototype, Object]);
    }
    expect(scanned).toStrictEqual(decodeTelemetryReference(Buffer.from(body)));
    const spaced = ' {\n "battery" : 0.5 ,\t"timestamp":"2026-11-21T22:00:00Z", "deviceId" : "d" }\r\n';
    expect(scanTelemetry(Buffer.from(spaced))?.telemetry).toStrictEqual({ deviceId: 'd', timestamp: '2026-11-21T22:00:00Z', battery: 0.5 });
  });

  it('answers for every valid body of plain JSON (so the pure path is the scan), as the reference way does', () => {
    fc.assert(
      fc.property(plainValid, (t) => {
        expect([t, ordered(scanTelemetry(Buffer.from(t)))]).toStrictEqual([t, outcome(() => decodeTelemetryReference(Buffer.from(t)))]);
        agree(t);
      }),
      { numRuns: 2000 },
    );
  });

  it('decodes every body, valid or not, exactly as the reference way does: results, key order, -0, error classes, codes and messages', () => {
    fc.assert(fc.property(text, (t) => agree(t)), { numRuns: 2000 });
    fc.assert(fc.property(damaged, (t) => agree(t)), { numRuns: 3000 });
    fc.assert(fc.property(damagedBytes, (b) => agree(b)), { numRuns: 2000 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => agree(b)), { numRuns: 1000 });
  });

  it('agrees with the reference way under an authenticated device (IoT Hub mode): missing, same, spoofed and non-string ids', () => {
    const device = fc.record(
      { deviceId: fc.constantFrom('drone-00042', "it's-#1(a)", 'bad id', '', 'é', 'd'.repeat(129), 'a"b'), generation: fc.record({ id: fc.constantFrom('g1', 'g2'), at: fc.nat() }) },
      { requiredKeys: ['deviceId'] },
    );
    const claim = fc.constantFrom(undefined, 'same', 'drone-00043', 7, null, 'drone-0004', 'drone-000420');
    fc.assert(
      fc.property(text, device, claim, (t, d, c) => {
        const parsed = ((): Record<string, unknown> | undefined => {
          try {
            const v: unknown = JSON.parse(t);
            return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
          } catch {
            return undefined;
          }
        })();
        if (!parsed) return agree(t, d);
        const { deviceId: _omitted, ...rest } = parsed;
        agree(JSON.stringify(c === undefined ? rest : { ...rest, deviceId: c === 'same' ? d.deviceId : c }), d);
        agree(t, d);
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['duplicate keys (JSON.parse keeps the last)', '{"deviceId":"d1","timestamp":"2026-11-21T22:00:00Z","battery":0.1,"battery":0.2}'],
    ['an escaped key', '{"device\\u0049d":"d1","timestamp":"2026-11-21T22:00:00Z"}'],
    ['an escaped value', '{"deviceId":"d\\u0031","timestamp":"2026-11-21T22:00:00Z"}'],
    ['__proto__ holding an object', '{"deviceId":"d1","timestamp":"2026-11-21T22:00:00Z","__proto__":{"polluted":true}}'],
    ['deep nesting in an unknown field', `{"deviceId":"d","timestamp":"2026-11-21T22:00:00Z","x":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`],
    ['a huge number', '{"deviceId":"d","timestamp":"2026-11-21T22:00:00Z","battery":1e400}'],
    ['a lone surrogate escape', '{"deviceId":"d","timestamp":"2026-11-21T22:00:00Z","x":"\\ud800"}'],
    ['trailing garbage', '{"deviceId":"d","timestamp":"2026-11-21T22:00:00Z"}x'],
    ['two objects', '{"deviceId":"d","timestamp":"2026-11-21T22:00:00Z"}{}'],
    ['a leading BOM', '\uFEFF{"deviceId":"d","timestamp":"2026-11-21T22:00:00Z"}'],
    ['an offset timestamp', '{"deviceId":"d","timestamp":"2026-11-21T22:00:00+05:30"}'],
    ['a 2-digit year clock', '{"deviceId":"d","timestamp":"0099-11-21T22:00:00Z"}'],
  ])('%s: as the reference way', (_name, body) => {
    agree(body);
    agree(Buffer.from(body, 'utf8'));
  });

  it('leaves bodies with invalid UTF-8 to the reference way (EVENT_ENCODING)', () => {
    const body = Buffer.concat([Buffer.from('{"deviceId":"d","timestamp":"2026-11-21T22:00:00Z","x":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]);
    expect(scanTelemetry(body)).toBeUndefined();
    expect(outcome(() => decodeTelemetry(body))).toEqual(['threw', 'PipelineError', 'EVENT_ENCODING', 'body is not valid UTF-8']);
  });
});
