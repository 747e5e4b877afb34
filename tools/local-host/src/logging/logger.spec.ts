import { randomBytes } from 'node:crypto';
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
