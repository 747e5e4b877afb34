import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { redactSecrets, redactValue } from '@telemetry/core';
import { JsonLogger } from './logger';

describe('JsonLogger redaction (the shared @telemetry/core redactor)', () => {
  it('masks the local host own base64url keys, a bare code=, and code= inside nested structured fields', () => {
    const lines: string[] = [];
    const logger = new JsonLogger((line) => lines.push(line));
    // The local host's keys: base64url, with `-` and `_` (see createHostKeys / the stack's keys).
    const key = `${randomBytes(27).toString('base64url')}-_${randomBytes(3).toString('base64url')}`;
    logger.log({ level: 'error', message: `resume failed: code=${key}`, fields: { error: `GET /api/ops?code=${key} -> 401`, request: { headers: { 'x-functions-key': key }, url: `/api/x code=${key}` }, masterKey: key, attempts: [`x-functions-key: ${key}`] } });
    logger.log({ level: 'information', message: 'storage', fields: { AzureWebJobsStorage: `DefaultEndpointsProtocol=http;AccountName=dev;AccountKey=${randomBytes(64).toString('base64')};` } });
    const text = lines.join('\n');
    expect(text).not.toContain(key);
    expect(text).not.toMatch(/AccountKey=(?!\*\*\*)/);
    expect(JSON.parse(lines[0]!)).toMatchObject({ message: 'resume failed: code=***', fields: { masterKey: '***' } });
  });

  it('keeps fields that are not credentials', () => {
    const lines: string[] = [];
    new JsonLogger((line) => lines.push(line)).log({ level: 'information', message: 'batch', fields: { partitionKey: 'drone-1', errorCode: 'EVENT_CLOCK_SKEW', count: 3 } });
    expect(JSON.parse(lines[0]!).fields).toEqual({ partitionKey: 'drone-1', errorCode: 'EVENT_CLOCK_SKEW', count: 3 });
  });
});

describe('JsonLogger writes what the shared redactor gives, however often a text recurs', () => {
  const key = `${randomBytes(27).toString('base64url')}-_${randomBytes(3).toString('base64url')}`;
  // Texts with and without credentials, some repeated (the host's constant messages and field values are redacted once, then looked up).
  const text = fc.oneof(
    fc.constantFrom('function executing', 'Succeeded', 'event hub partition 0', `code=${key}`, `Bearer ${key}`, `AccountKey=${randomBytes(64).toString('base64')}`, key),
    fc.string({ maxLength: 40 }),
    fc.string({ minLength: 250, maxLength: 300 }).map((s) => `${s} sig=${key}`),
  );
  const fieldValue = fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.array(text, { maxLength: 3 }), fc.dictionary(fc.constantFrom('token', 'url', 'masterKey'), text));
  const fieldName = fc.constantFrom('reason', 'status', 'error', 'masterKey', 'functionKey', 'password', 'partitionKey', 'url', 'x-functions-key', 'token');

  it('message through redactSecrets, fields through redactValue, for flat and nested fields', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ message: text, fields: fc.option(fc.dictionary(fieldName, fieldValue), { nil: undefined }) }), { minLength: 1, maxLength: 20 }), (records) => {
        const lines: string[] = [];
        const logger = new JsonLogger((line) => lines.push(line)).child({ functionName: 'f', invocationId: 'i' });
        for (const r of records) logger.log({ level: 'information', ...r });
        records.forEach((r, i) => {
          const line = JSON.parse(lines[i]!) as Record<string, unknown>;
          const fields = r.fields ? (redactValue(r.fields) as Record<string, unknown>) : undefined;
          expect(line).toEqual({
            time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), level: 'information', category: 'host', functionName: 'f', invocationId: 'i',
            message: redactSecrets(r.message), ...(fields && Object.keys(fields).length ? { fields: JSON.parse(JSON.stringify(fields)) } : {}),
          });
          expect(lines[i]).not.toContain(key);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('keeps redacting a recurring secret after many other texts have come and gone', () => {
    const lines: string[] = [];
    const logger = new JsonLogger((line) => lines.push(line));
    for (let i = 0; i < 2000; i++) logger.log({ level: 'information', message: i % 100 === 0 ? `retry with code=${key}` : `step ${i}`, fields: { error: i % 100 === 0 ? `code=${key}` : `e${i}` } });
    expect(lines.join('\n')).not.toContain(key);
    expect(lines.filter((l) => l.includes('code=***'))).toHaveLength(20);
  });
});
