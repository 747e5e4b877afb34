import { createHash, createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { isCredentialField, isSecretName, redactBodyBytes, redactSecrets, redactValue } from './redact';

describe('redactSecrets', () => {
  it.each([
    ['DefaultEndpointsProtocol=http;AccountName=dev;AccountKey=Eby8vdM02xNOcq==;BlobEndpoint=x', 'DefaultEndpointsProtocol=http;AccountName=dev;AccountKey=***;BlobEndpoint=x'],
    ['Endpoint=sb://h/;SharedAccessKeyName=Root;SharedAccessKey=abc123=;EntityPath=t', 'Endpoint=sb://h/;SharedAccessKeyName=Root;SharedAccessKey=***;EntityPath=t'],
    ['GET https://a.blob.core.windows.net/c?sv=2024&sig=AbC%2Bd&se=1 failed', 'GET https://a.blob.core.windows.net/c?sv=2024&sig=***&se=1 failed'],
    ['authorization: Bearer eyJhbGciOi.x.y', 'authorization: Bearer ***'],
    ['https://app/api/resume?code=hostkey123', 'https://app/api/resume?code=***'],
    // The gaps of issue 13 item 12: base64url keys with - and _, a bare code=, code= in a field.
    ['x-functions-key: Ab-_cd-_EF12', 'x-functions-key: ***'],
    ['resume failed: code=Ab-_cd-_EF12 rejected', 'resume failed: code=*** rejected'],
    ['{"url":"/api/approve code=short-key_1"}', '{"url":"/api/approve code=***"}'],
    ['key Zm9vYmFyLWJhei1xdXV4LWNvcmdlLWdyYXVsdA-_Ab9 leaked', 'key *** leaked'],
    // A URL's user info (Node's fetch puts the whole URL in its error) and HTTP Basic credentials.
    ['Request cannot be constructed from a URL that includes credentials: https://ops:S3cr3t@breaker.example.net/api', 'Request cannot be constructed from a URL that includes credentials: https://ops:***@breaker.example.net/api'],
    ['amqps://send:k3y@ns.servicebus.windows.net/hub', 'amqps://send:***@ns.servicebus.windows.net/hub'],
    ['Authorization: Basic dXNlcjpodW50ZXIy', 'Authorization: Basic ***'],
    // Quoted connection-string values (they may hold `;`) and Storage's Shared Key authorization.
    ['Server=db;User Id=app;Password="my;secret pass";Encrypt=true', 'Server=db;User Id=app;Password=***;Encrypt=true'],
    ["Password='hunter 2' rejected", 'Password=*** rejected'],
    ['Authorization: SharedKey devstoreaccount1:abcDEF123xyz=', 'Authorization: SharedKey ***'],
    ['signed as SharedKeyLite acct:Zm9vYmFy', 'signed as SharedKeyLite ***'],
    ['auth Basic dXNlcjpodW50ZXIy sent', 'auth Basic *** sent'],
    // Encoded: percent-encoded (once, twice) and JSON \u escapes come back decoded and masked.
    ['next=AccountName%3Da%3BAccountKey%3Dq1w2e3r4%3BEndpointSuffix%3Dx', 'next=AccountName=a;AccountKey=***;EndpointSuffix=x'],
    ['/x?next=https%3A%2F%2Fa.queue.core.windows.net%2Fq%3Fsv%3D1%26sig%3Dab%252Bc%26se%3D1', '/x?next=https://a.queue.core.windows.net/q?sv=1&sig=***&se=1'],
    ['{"detail":"SharedAccessKey\\u003dq1w2e3r4;EntityPath\\u003dt"}', '{"detail":"SharedAccessKey=***;EntityPath=t"}'],
  ])('masks %s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it('leaves ordinary text alone: device ids, hex digests, GUIDs, error codes, partition keys', () => {
    for (const text of [
      'device drone-00042 battery 0.87',
      'bodySha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      'instance 3F2504E0-4F89-11D3-9A0C-0305E82C3301 and 3f2504e0-4f89-11d3-9a0c-0305e82c3301',
      'errorCode=EVENT_CLOCK_SKEW partitionKey=drone-1 keyName=RootManageSharedAccessKey',
      'Endpoint=sb://127.0.0.1:45672;SharedAccessKeyName=RootManageSharedAccessKey;EntityPath=telemetry;UseDevelopmentEmulator=true',
      'Event Hubs Basic tier, Basic throughput; https://breaker.example.net:443/api; mailto:ops@example.net',
      'device drone%2D0001 at 100% battery, 50%3 and %zz',
    ]) {
      expect(redactSecrets(text)).toBe(text);
    }
  });

  it('recognises credential-like property names', () => {
    expect(['apiKey', 'SAS', 'Authorization', 'connectionString', 'token'].every(isSecretName)).toBe(true);
    expect(['deviceId', 'source', 'firmware'].some(isSecretName)).toBe(false);
    expect(['masterKey', 'functionKey', 'AccountKey', 'key', 'x-functions-key', 'APPROVAL_SIGNING_KEY', 'refreshToken', 'password'].every(isCredentialField)).toBe(true);
    expect(['partitionKey', 'keyName', 'errorCode', 'code', 'message', 'deviceId'].some(isCredentialField)).toBe(false);
  });

  it('redacts structured values deeply', () => {
    const fields = { masterKey: 'plain', nested: { url: 'https://h/api/x?code=abc', list: ['sig=zzz'] }, count: 3, partitionKey: 'drone-1' };
    expect(redactValue(fields)).toEqual({ masterKey: '***', nested: { url: 'https://h/api/x?code=***', list: ['sig=***'] }, count: 3, partitionKey: 'drone-1' });
  });
});

// ---------------------------------------------------------------------------------------------
// Property: every credential format the product issues or consumes, embedded anywhere, is gone.

// Keys are CSPRNG output: model them as uniform bytes (a hash of a generated seed), not as
// fast-check's byte arrays, which favour all-zero arrays no key generator produces.
const bytes = (n: number): fc.Arbitrary<Buffer> => fc.string().map((seed) => createHash('shake256', { outputLength: n }).update(seed).digest());
const b64 = (n: number): fc.Arbitrary<string> => bytes(n).map((b) => b.toString('base64'));
const b64url = (n: number): fc.Arbitrary<string> => bytes(n).map((b) => b.toString('base64url'));
const name = fc.stringMatching(/^[a-z][a-z0-9]{2,12}$/);

interface Credential {
  /** The credential in the context it appears in (connection string, URL, header...). */
  text: string;
  /** Substrings that must not survive. */
  secrets: string[];
}

const jwt = fc.tuple(fc.record({ sub: name, oid: fc.uuid(), exp: fc.integer({ min: 1, max: 2 ** 31 }) }), bytes(256)).map(([claims, signature]) => {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const token = `${part({ alg: 'RS256', typ: 'JWT', kid: 'k1' })}.${part(claims)}.${signature.toString('base64url')}`;
  return { token, secrets: [token.split('.')[1]!, token.split('.')[2]!] };
});

// libs/breaker-rules approval-token.ts: v1.<base64url(JSON claims)>.<base64url(HMAC-SHA256)>.
const approvalToken = fc.tuple(name, fc.integer({ min: 1, max: 1000 }), b64url(16), b64(32)).map(([instanceId, episode, nonce, key]) => {
  const payload = Buffer.from(JSON.stringify({ instanceId, episode, nonce, exp: Date.now() + 3_600_000 })).toString('base64url');
  const mac = createHmac('sha256', key).update(`v1.${payload}`).digest('base64url');
  return { token: `v1.${payload}.${mac}`, secrets: [payload, mac] };
});

const credential: fc.Arbitrary<Credential> = fc.oneof(
  // Storage account key (64 bytes, base64) in a connection string, and bare.
  fc.tuple(name, b64(64)).map(([account, key]) => ({ text: `DefaultEndpointsProtocol=https;AccountName=${account};AccountKey=${key};EndpointSuffix=core.windows.net`, secrets: [key] })),
  b64(64).map((key) => ({ text: key, secrets: [key] })),
  // Cosmos DB connection string.
  fc.tuple(name, b64(64)).map(([account, key]) => ({ text: `AccountEndpoint=https://${account}.documents.azure.com:443/;AccountKey=${key};`, secrets: [key] })),
  // Event Hubs shared access key (32 bytes) in a connection string.
  fc.tuple(name, b64(32)).map(([ns, key]) => ({ text: `Endpoint=sb://${ns}.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${key};EntityPath=telemetry`, secrets: [key] })),
  // SAS sig: a storage SAS URL and an Event Hubs SAS token (also inside a connection string).
  fc.tuple(name, b64(32)).map(([account, sig]) => ({ text: `https://${account}.blob.core.windows.net/c/b?sv=2024-08-04&se=2026-01-01&sr=b&sp=r&sig=${encodeURIComponent(sig)}`, secrets: [sig, encodeURIComponent(sig)] })),
  fc.tuple(name, b64(32)).map(([ns, sig]) => {
    const token = `SharedAccessSignature sr=${encodeURIComponent(`sb://${ns}.servicebus.windows.net/telemetry`)}&sig=${encodeURIComponent(sig)}&se=1900000000&skn=send`;
    return { text: token, secrets: [sig, encodeURIComponent(sig)] };
  }),
  fc.tuple(name, b64(32)).map(([ns, sig]) => ({
    text: `Endpoint=sb://${ns}.servicebus.windows.net/;SharedAccessSignature=SharedAccessSignature sr=x&sig=${encodeURIComponent(sig)}&se=1&skn=send;EntityPath=h`,
    secrets: [encodeURIComponent(sig)],
  })),
  // Function and master keys: base64 as Azure issues them (40 bytes), base64url as the local host does.
  fc.tuple(fc.oneof(b64(40), b64url(24), b64url(30)), fc.constantFrom('query', 'bare-code', 'header', 'json-header', 'json-field', 'bare')).map(([key, form]) => {
    const text = {
      query: `https://app.azurewebsites.net/api/ops/breaker?code=${encodeURIComponent(key)}&x=1`,
      'bare-code': `code=${key}`,
      header: `x-functions-key: ${key}`,
      'json-header': JSON.stringify({ 'x-functions-key': key }),
      'json-field': JSON.stringify({ masterKey: key, functionKey: key }),
      bare: key,
    }[form];
    return { text, secrets: [key, encodeURIComponent(key)] };
  }),
  // Approval tokens, in their link and bare.
  approvalToken.map(({ token, secrets }) => ({ text: `https://breaker/api/approve?token=${token}`, secrets })),
  approvalToken.map(({ token, secrets }) => ({ text: token, secrets })),
  // JWTs as bearer tokens and bare.
  jwt.map(({ token, secrets }) => ({ text: `Authorization: Bearer ${token}`, secrets })),
  jwt.map(({ token, secrets }) => ({ text: token, secrets })),
);

const prose = fc.string({ maxLength: 40 });

describe('redaction property: no credential of any product format survives', () => {
  // Arbitrary text around it, set apart by a separator as in any log line (a credential glued to
  // letters is another token: `xAccountKey=` is not a connection string).
  it('in free text, among arbitrary characters', () => {
    fc.assert(
      fc.property(credential, prose, prose, fc.constantFrom(' ', '\n', '\t', ': ', '"', "'", '(', ')', ',', ';', '&', '[', '<'), (c, before, after, glue) => {
        const out = redactSecrets(`${before}${glue}${c.text}${glue}${after}`);
        for (const secret of c.secrets) expect(out).not.toContain(secret);
      }),
      { numRuns: 2000 },
    );
  });

  // Encoded as a text travels: a URL's query parameter (once or twice), JSON's \\u escapes.
  it('percent-encoded once or twice, or with JSON \\u escapes', () => {
    const encodings: Record<string, (text: string) => string> = {
      percent: encodeURIComponent,
      'percent-twice': (text) => encodeURIComponent(encodeURIComponent(text)),
      'query-parameter': (text) => `https://dash.example/x?next=${encodeURIComponent(text)}&page=2`,
      'json-escaped': (text) => JSON.stringify(text).replace(/[=&;:/+]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    };
    fc.assert(
      fc.property(credential, fc.constantFrom(...Object.keys(encodings)), prose, (c, encoding, before) => {
        const encode = encodings[encoding]!;
        const out = redactSecrets(`${before} ${encode(c.text)}`);
        for (const secret of c.secrets) {
          for (const form of [secret, encodeURIComponent(secret), encodeURIComponent(encodeURIComponent(secret))]) expect(out).not.toContain(form);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('in structured log fields (nested objects and arrays) and in their JSON text', () => {
    fc.assert(
      fc.property(credential, name, prose, fc.constantFrom('object', 'array', 'json'), (c, field, other, shape) => {
        const value = { [field]: shape === 'array' ? [other, c.text] : shape === 'json' ? JSON.stringify({ detail: c.text }) : { inner: c.text, other } };
        const out = JSON.stringify(redactValue(value));
        for (const secret of c.secrets) expect(out).not.toContain(secret);
      }),
      { numRuns: 1000 },
    );
  });

  it('keys generated the way the local host and the stack generate them never survive (sanity on real randomness)', () => {
    for (let i = 0; i < 200; i++) {
      for (const key of [randomBytes(30).toString('base64url'), randomBytes(24).toString('base64url'), randomBytes(32).toString('base64')]) {
        expect(redactSecrets(`host key ${key} in a message`)).not.toContain(key);
      }
    }
  });
});

// A sender controls property values and bodies up to 1 MB, and dead letters redact them: a pattern
// that rescans a long run from each of its characters turns one such event into minutes of
// synchronous work, and a partition whose batch never finishes never moves. This bound (a minute
// for all of them, one core) holds 1,000-fold for linear matching; a quadratic pattern takes hours.
describe('hostile long inputs: every pattern finishes in time linear in the text', () => {
  const MB = 1024 * 1024;
  const shapes: Record<string, string> = {
    'one long run': 'x',
    'dotted words': 'a.',
    'dashed words': 'a-',
    'JWT starts': 'eyJ',
    'approval starts': 'v1.eyJ',
    'an open quote': '"a',
    'base64 without padding': '+/',
    'percent-encoded plus signs': '%2B',
    'percent escapes': '%41',
    'JSON escapes': '\\u0041',
    'label names': 'sigauthorization',
    'open quoted values': 'Password="a Password=',
    'padded runs': 'AAAA=',
    'schemes': 'a://b:',
  };
  it.each(Object.entries(shapes))('%s, 1 MB', (_name, unit) => {
    const text = unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);
    expect(redactSecrets(text).length).toBeGreaterThan(0);
    expect(redactBodyBytes(Buffer.from(text, 'latin1')).byteLength).toBeGreaterThan(0);
  }, 60_000);
});

describe('redactBodyBytes (dead-letter bodies: kept for replay, credentials masked in any encoding)', () => {
  const cosmosKey = randomBytes(64).toString('base64'); // 88 chars, '==' padded, as Azure issues account keys
  const hubKey = randomBytes(32).toString('base64'); // 44 chars
  const conn = `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${cosmosKey};EndpointSuffix=core.windows.net`;
  const body = (note: string) => Buffer.from(JSON.stringify({ deviceId: 'drone-00042', timestamp: '2026-12-02T06:00:00.000Z', battery: 0.5, note }), 'latin1');
  const text = (b: Buffer) => redactBodyBytes(b).toString('latin1');

  it.each([
    ['plain', conn],
    ['JSON \\u-escaped', `SharedAccessKey\\u003d${hubKey}`],
    ['percent-encoded', encodeURIComponent(conn)],
    ['percent-encoded twice', encodeURIComponent(encodeURIComponent(conn))],
    ['a SAS sig percent-encoded', `https://a.blob.core.windows.net/c?sv=2024${encodeURIComponent(`&sig=${hubKey}`)}`],
    ['base64', Buffer.from(conn).toString('base64')],
    ['base64url', Buffer.from(conn).toString('base64url')],
    ['hex', Buffer.from(conn).toString('hex')],
    ['base64 of the percent-encoded string', Buffer.from(encodeURIComponent(conn)).toString('base64')],
    ['a bare account key', cosmosKey],
    ['a bare Event Hubs key', hubKey],
  ])('%s: the key is gone, the telemetry fields stay', (_how, secret) => {
    const out = text(body(`device sent ${secret} by mistake`));
    expect(out).not.toContain(cosmosKey);
    expect(out).not.toContain(hubKey);
    expect(out).not.toContain(secret);
    expect(JSON.parse(out)).toMatchObject({ deviceId: 'drone-00042', timestamp: '2026-12-02T06:00:00.000Z', battery: 0.5 });
  });

  it('a JSON body stays JSON a replay can decode: escaped slashes, a BOM, __proto__ names; other bodies are masked byte for byte', () => {
    const key = cosmosKey.replace(/\//g, '\\/'); // as JSON writers that escape '/' write it
    const escaped = Buffer.from(`{"deviceId":"drone-1","timestamp":"2026-12-02T06:00:00.000Z","fw":"build\\/${key}","__proto__":{"x":"${hubKey}"}}`, 'latin1');
    expect(JSON.parse(escaped.toString('utf8'))).toBeTruthy();
    const out = redactBodyBytes(escaped).toString('utf8');
    expect(out).not.toContain(cosmosKey.slice(0, 30));
    expect(out).not.toContain(hubKey);
    const parsed = JSON.parse(out) as Record<string, unknown>;
    expect(parsed).toMatchObject({ deviceId: 'drone-1', timestamp: '2026-12-02T06:00:00.000Z' });
    expect(Object.getOwnPropertyNames(parsed)).toContain('__proto__');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`{"deviceId":"drone-1","k":"${cosmosKey}"}`)]);
    const bomOut = redactBodyBytes(bom);
    expect(bomOut.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(JSON.parse(bomOut.subarray(3).toString('utf8'))).toEqual({ deviceId: 'drone-1', k: '***' });
    const malformed = Buffer.from(`{"deviceId":"drone-1","k":"${cosmosKey}"`); // cut short: masked as it is
    expect(redactBodyBytes(malformed).toString('latin1')).toBe('{"deviceId":"drone-1","k":"***"');
  });

  it('keeps a body without credentials byte for byte (same Buffer): ids, digests, unpadded tokens, words', () => {
    const clean = body(`fw ${'ab'.repeat(32)} id DroneFleetAlpha-Unit0001-Production ${randomBytes(30).toString('hex')} supercalifragilisticexpialidocious`);
    expect(redactBodyBytes(clean)).toBe(clean);
    const binary = randomBytes(4096);
    expect(redactBodyBytes(binary).byteLength).toBeGreaterThan(0);
  });
});
