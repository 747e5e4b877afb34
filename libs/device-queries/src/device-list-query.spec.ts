import fc from 'fast-check';
import { decodeContinuation, encodeContinuation } from './continuation-token';
import { DEFAULT_PAGE_SIZE, parseDeviceListQuery } from './device-list-query';
import { buildDeviceListSql } from './device-list-sql';

const parse = (q: string) => parseDeviceListQuery(new URLSearchParams(q));

describe('parseDeviceListQuery', () => {
  it('accepts every filter together, with the default page size', () => {
    const token = '{"token":"+RID:abc#RT:1","range":{"min":"","max":"FF"}}';
    const result = parse(`updatedSince=2026-01-01T00:00:00Z&bbox=-123,47,-122,48&batteryBelow=0.2&continuation=${encodeContinuation(token)}&code=ignored`);
    expect(result).toEqual({
      ok: true,
      value: { updatedSince: '2026-01-01T00:00:00Z', bbox: { west: -123, south: 47, east: -122, north: 48 }, batteryBelow: 0.2, continuation: token, pageSize: DEFAULT_PAGE_SIZE },
    });
  });

  it.each([
    ['updatedSince=yesterday', /updatedSince must be an ISO 8601 instant/],
    // Past year 9999 in UTC the instant would be written `+010000-...`, which sorts before every stored time: every device would match.
    ['updatedSince=9999-12-31T23:59:59-14:00', /within the years 0000-9999/],
    ['updatedSince=0000-01-01T00:00:00%2B01:00', /within the years 0000-9999/],
    ['bbox=1,2,3', /bbox must be four numbers/],
    ['bbox=0,50,1,40', /south <= north/],
    ['bbox=-190,0,0,1', /longitudes must be within/],
    ['batteryBelow=abc', /batteryBelow must be a/],
    ['batteryBelow=20', /batteryBelow must be <= 1/],
    ['pageSize=0', /pageSize must be >= 1/],
    ['pageSize=5000', /pageSize must be <= 500/],
    ['pageSize=2.5', /pageSize must be an integer/],
    ['continuation=not*base64', /continuation is not a token this API issued/],
    ['updatedSice=2026-01-01T00:00:00Z', /unknown parameter\(s\): updatedSice/],
    ['pageSize=1&pageSize=2', /pageSize is given more than once/],
    // Canonical base64url of text no Cosmos token holds: NUL bytes and a non-ASCII character
    // (the SDK cannot even put these in its header: once a 503, now a 400 here).
    [`continuation=${encodeContinuation('\u0000\u0000\u0000')}`, /continuation is not a token this API issued/],
    [`continuation=${encodeContinuation('\u2713')}`, /continuation is not a token this API issued/],
  ])('%s -> a clear error', (query, message) => {
    const result = parse(query);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.join('; ')).toMatch(message);
  });

  it.each(['constructor', 'toString', 'hasOwnProperty', '__proto__'])('%s= is an unknown parameter, never a repeat or an inherited member', (name) => {
    const result = parse(`${name}=1`);
    expect(result).toEqual({ ok: false, errors: [expect.stringMatching(new RegExp(`^unknown parameter\\(s\\): ${name} `))] });
  });

  it('reports every problem at once', () => {
    const result = parse('pageSize=0&batteryBelow=7&foo=1');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toHaveLength(3);
  });
});

describe('buildDeviceListSql', () => {
  it('no filter: all devices in deviceId order', () => {
    expect(buildDeviceListSql({})).toEqual({ query: 'SELECT * FROM c ORDER BY c.deviceId', parameters: [] });
  });

  it('a box across the antimeridian matches either side', () => {
    const { query } = buildDeviceListSql({ bbox: { west: 170, south: -10, east: -170, north: 10 } });
    expect(query).toContain('(c.position.longitude >= @west OR c.position.longitude <= @east)');
  });

  it('values only ever travel as parameters (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        fc.tuple(fc.double({ min: -180, max: 180, noNaN: true }), fc.double({ min: -90, max: 90, noNaN: true }), fc.double({ min: -180, max: 180, noNaN: true })),
        (since, battery, [west, south, east]) => {
          const spec = buildDeviceListSql({ updatedSince: since.toISOString(), batteryBelow: battery, bbox: { west, south, east, north: 90 } });
          expect(spec.query).not.toMatch(/\d/);
          expect(spec.parameters?.map((p) => p.name).sort()).toEqual(['@batteryBelow', '@east', '@north', '@south', '@updatedSince', '@west']);
        },
      ),
    );
  });
});

describe('continuation tokens', () => {
  it('round-trip any printable ASCII text (what Cosmos issues) through the URL form', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) }), (token) => {
        const encoded = encodeContinuation(token);
        expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(decodeContinuation(encoded)).toBe(token);
      }),
    );
  });

  it('refuses canonical base64url of anything with a control or non-ASCII character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.constantFrom('\u0000', '\n', '\u007f', '\u00e9', '\u2713'), fc.string({ unit: 'grapheme' }), (a, bad, b) => {
        expect(decodeContinuation(encodeContinuation(a + bad + b))).toBeUndefined();
      }),
    );
  });
});
