import fc from 'fast-check';
import { deviceIdOfDocument, documentIdOf, IOT_HUB_DEVICE_ID_PATTERN } from './device-id';
import { DEVICE_ID_PATTERN } from './telemetry';

/** The characters IoT Hub allows in a device id besides ASCII alphanumerics (docs, see device-id.ts). */
const SPECIALS = "-:.+%_#*?!(),=@;$'";
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const iotHubId = fc.string({ unit: fc.constantFrom(...(ALNUM + SPECIALS)), minLength: 1, maxLength: 128 });
/** Ids made mostly of the characters that need escaping, so escapes sit next to each other and to kept characters. */
const denseId = fc.string({ unit: fc.constantFrom(...SPECIALS, 'a', '7', '~'), minLength: 1, maxLength: 12 });
const bodyModeId = fc.stringMatching(/^[A-Za-z0-9._:-]{0,63}[A-Za-z0-9_:-]$/);

/** What Cosmos DB accepts and can address as a document id (no / \ ? #, <= 1,023 bytes), plus URL-unreserved only. */
const isAddressableDocumentId = (id: string): boolean =>
  id.length >= 1 && Buffer.byteLength(id) <= 1023 && /^[A-Za-z0-9._:~-]+$/.test(id) && !id.endsWith('.');

describe('device id -> document id', () => {
  it('accepts exactly the characters IoT Hub documents, up to 128', () => {
    for (const c of ALNUM + SPECIALS) expect(IOT_HUB_DEVICE_ID_PATTERN.test(`a${c}b`)).toBe(true);
    for (const c of '/\\ ~"<>[]{}|^`&é\u0000\n') expect(IOT_HUB_DEVICE_ID_PATTERN.test(`a${c}b`)).toBe(false);
    expect(IOT_HUB_DEVICE_ID_PATTERN.test('x'.repeat(128))).toBe(true);
    expect(IOT_HUB_DEVICE_ID_PATTERN.test('x'.repeat(129))).toBe(false);
    expect(IOT_HUB_DEVICE_ID_PATTERN.test('')).toBe(false);
  });

  it('every body-mode id is its own document id (existing documents stay addressable)', () => {
    fc.assert(fc.property(bodyModeId, (id) => {
      expect(DEVICE_ID_PATTERN.test(id)).toBe(true);
      expect(documentIdOf(id)).toBe(id);
      expect(deviceIdOfDocument(id)).toBe(id);
    }), { numRuns: 2_000 });
  });

  it('every IoT Hub id round-trips through an addressable document id', () => {
    fc.assert(fc.property(fc.oneof(iotHubId, denseId), (id) => {
      const doc = documentIdOf(id);
      expect(isAddressableDocumentId(doc)).toBe(true);
      expect(doc.length).toBeLessThanOrEqual(3 * 128);
      expect(deviceIdOfDocument(doc)).toBe(id);
    }), { numRuns: 5_000 });
  });

  it('no two ids share a document id: exhaustively over all ids of up to 2 characters of the IoT Hub alphabet (and ~)', () => {
    const alphabet = [...'aZ09', ...SPECIALS, '~'];
    const ids = [...alphabet];
    for (const a of alphabet) for (const b of alphabet) ids.push(a + b);
    for (const a of SPECIALS) for (const b of SPECIALS) for (const c of SPECIALS) ids.push(a + b + c);
    const seen = new Map<string, string>();
    for (const id of ids) {
      const doc = documentIdOf(id);
      expect(seen.get(doc)).toBeUndefined();
      seen.set(doc, id);
      expect(deviceIdOfDocument(doc)).toBe(id);
    }
    expect(seen.size).toBe(ids.length);
  });

  it('no collisions between random pairs, and decoding rejects every non-canonical document id', () => {
    fc.assert(fc.property(fc.oneof(iotHubId, denseId), fc.oneof(iotHubId, denseId), (a, b) => {
      fc.pre(a !== b);
      expect(documentIdOf(a)).not.toBe(documentIdOf(b));
    }), { numRuns: 5_000 });
    // Any string: decoding either fails or gives the one id whose document id it is.
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'aA0._:-~', ...'0123456789ABCDEFabcdef', '?', '#', '/'), maxLength: 12 }), (doc) => {
      const id = deviceIdOfDocument(doc);
      if (id !== undefined) expect(documentIdOf(id)).toBe(doc);
    }), { numRuns: 5_000 });
  });

  it('escapes what Cosmos or URLs would misread, and a trailing dot', () => {
    expect(documentIdOf('a?b#c')).toBe('a~3Fb~23c');
    expect(documentIdOf("it's(1)")).toBe('it~27s~281~29');
    expect(documentIdOf('50%+x')).toBe('50~25~2Bx');
    expect(documentIdOf('a.')).toBe('a~2E');
    expect(documentIdOf('.')).toBe('~2E');
    expect(documentIdOf('..')).toBe('.~2E');
    expect(documentIdOf('a~b')).toBe('a~7Eb');
    expect(deviceIdOfDocument('a~3fb')).toBeUndefined(); // lower-case hex is not canonical
    expect(deviceIdOfDocument('~61')).toBeUndefined(); // a kept character escaped
    expect(deviceIdOfDocument('a.')).toBeUndefined();
    expect(deviceIdOfDocument('a~')).toBeUndefined();
    expect(deviceIdOfDocument('a?b')).toBeUndefined();
  });
});
