import fc from 'fast-check';
import { PipelineError } from '@telemetry/core';
import { decodeTelemetry } from './decode-telemetry';
import { MAX_EVENT_BYTES } from './telemetry';

const valid = { deviceId: 'drone-00042', timestamp: '2026-11-21T22:00:00.123Z', battery: 0.87, flightMode: 3 };
const bytes = (v: unknown): Uint8Array => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));
const codeOf = (body: unknown): string => {
  try {
    decodeTelemetry(body);
    return 'OK';
  } catch (error) {
    return error instanceof PipelineError ? error.code : `NOT A PIPELINE ERROR: ${String(error)}`;
  }
};

describe('decodeTelemetry', () => {
  it('decodes a valid event from bytes, a string or a parsed object', () => {
    for (const body of [bytes(valid), JSON.stringify(valid), valid]) {
      const { telemetry, time } = decodeTelemetry(body);
      expect(telemetry).toEqual(valid);
      expect(time).toBe(Date.parse(valid.timestamp));
    }
  });

  it('strips unknown fields and is immune to prototype-pollution keys', () => {
    const { telemetry } = decodeTelemetry(bytes(`{"deviceId":"d1","timestamp":"2026-11-21T22:00:00Z","extra":1,"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}`));
    expect(telemetry).toEqual({ deviceId: 'd1', timestamp: '2026-11-21T22:00:00Z' });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it.each([
    ['oversize', bytes({ ...valid, pad: 'x'.repeat(MAX_EVENT_BYTES) }), 'EVENT_OVERSIZE'],
    ['bad UTF-8', Uint8Array.from([0x7b, 0xff, 0xfe, 0x7d]), 'EVENT_ENCODING'],
    ['not JSON', bytes('{"deviceId": '), 'EVENT_MALFORMED'],
    ['an array', bytes([valid]), 'EVENT_MALFORMED'],
    ['null', bytes('null'), 'EVENT_MALFORMED'],
    ['missing deviceId', bytes({ timestamp: valid.timestamp }), 'EVENT_INVALID'],
    ['bad deviceId chars', bytes({ ...valid, deviceId: 'drone 42' }), 'EVENT_INVALID'],
    ['deviceId too long', bytes({ ...valid, deviceId: 'd'.repeat(65) }), 'EVENT_INVALID'],
    // `.` and `..` are dot segments in the store's REST paths: a document with such an id can be
    // created but never read, replaced or deleted by id (apps/ingestion/src/device-ids.spec.ts).
    ['deviceId "."', bytes({ ...valid, deviceId: '.' }), 'EVENT_INVALID'],
    ['deviceId ".."', bytes({ ...valid, deviceId: '..' }), 'EVENT_INVALID'],
    ['deviceId "..."', bytes({ ...valid, deviceId: '...' }), 'EVENT_INVALID'],
    ['deviceId with a trailing dot', bytes({ ...valid, deviceId: 'drone-42.' }), 'EVENT_INVALID'],
    ['deviceId with a slash', bytes({ ...valid, deviceId: 'drone/42' }), 'EVENT_INVALID'],
    ['deviceId with a backslash', bytes({ ...valid, deviceId: 'drone\\42' }), 'EVENT_INVALID'],
    ['deviceId with ?', bytes({ ...valid, deviceId: 'drone?42' }), 'EVENT_INVALID'],
    ['deviceId with #', bytes({ ...valid, deviceId: 'drone#42' }), 'EVENT_INVALID'],
    ['deviceId ending with a space', bytes({ ...valid, deviceId: 'drone-42 ' }), 'EVENT_INVALID'],
    ['timestamp without zone', bytes({ ...valid, timestamp: '2026-11-21T22:00:00' }), 'EVENT_INVALID'],
    ['impossible date', bytes({ ...valid, timestamp: '2026-02-30T22:00:00Z' }), 'EVENT_INVALID'],
    ['battery out of range', bytes({ ...valid, battery: 1.5 }), 'EVENT_INVALID'],
    ['battery as a string', bytes({ ...valid, battery: '0.5' }), 'EVENT_INVALID'],
    ['flightMode not an integer', bytes({ ...valid, flightMode: 2.5 }), 'EVENT_INVALID'],
    ['latitude out of range', bytes({ ...valid, position: { latitude: 91, longitude: 0, altitude: 0 } }), 'EVENT_INVALID'],
    ['huge number', bytes(`{"deviceId":"d","timestamp":"2026-11-21T22:00:00Z","battery":1e400}`), 'EVENT_INVALID'],
    ['health partial', bytes({ ...valid, health: { gyrometerOK: true } }), 'EVENT_INVALID'],
  ])('rejects %s with a coded error', (_name, body, code) => {
    expect(codeOf(body)).toBe(code);
  });

  it.each(['.a', 'a..b', '...a', 'a.b.c', '-', '_', ':', 'drone-00042', 'd'.repeat(64)])('accepts the addressable deviceId %j', (deviceId) => {
    expect(codeOf(bytes({ ...valid, deviceId }))).toBe('OK');
  });

  it('accepts exactly the device ids Cosmos DB can address (documented id rules + dot segments), within the product charset', () => {
    // Written from the rules, not from the pattern: https://learn.microsoft.com/azure/cosmos-db/concepts-limits#per-item-limits
    // (id <= 1,023 bytes), https://learn.microsoft.com/dotnet/api/microsoft.azure.documents.resource.id#remarks (no / \\ ? #).
    const addressable = (id: string): boolean =>
      Buffer.byteLength(id, 'utf8') <= 1023 && !/[/\\?#]/.test(id) && id !== '.' && id !== '..' && !id.endsWith('.') && !id.endsWith(' ');
    const productCharset = (id: string): boolean => id.length >= 1 && id.length <= 64 && [...id].every((c) => /[A-Za-z0-9._:-]/.test(c));
    const ids = fc.oneof(fc.stringMatching(/^[A-Za-z0-9._:/\\?# -]{0,66}$/), fc.stringMatching(/^[.a]{1,4}$/), fc.string({ maxLength: 70 }));
    fc.assert(
      fc.property(ids, (deviceId) => {
        expect([deviceId, codeOf(bytes({ ...valid, deviceId }))]).toEqual([deviceId, addressable(deviceId) && productCharset(deviceId) ? 'OK' : 'EVENT_INVALID']);
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws anything but a coded PipelineError, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (raw) => {
        const code = codeOf(raw);
        expect(code).toMatch(/^(OK|EVENT_[A-Z]+)$/);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        expect(codeOf(bytes(JSON.stringify(value)))).toMatch(/^(OK|EVENT_[A-Z]+)$/);
      }),
      { numRuns: 1000 },
    );
  });

  it('survives deep nesting within the size limit', () => {
    const deep = '['.repeat(30_000) + ']'.repeat(30_000);
    expect(codeOf(bytes(deep))).toBe('EVENT_MALFORMED');
    const deepField = `{"deviceId":"d","timestamp":"2026-11-21T22:00:00Z","x":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;
    expect(codeOf(bytes(deepField))).toBe('OK');
  });
});
