import { createHash } from 'node:crypto';
import { PipelineError } from '@telemetry/core';
import { MAX_EVENT_BYTES } from '@telemetry/device-state';
import { DEAD_LETTER_SCHEMA } from '@telemetry/contracts';
import { buildDeadLetter, originalBody, OVERSIZE_BODY_KEPT_BYTES } from './build-dead-letter';

describe('buildDeadLetter', () => {
  const event = {
    body: Buffer.from('{"deviceId":"drone-7","battery":'), partitionId: '3', sequenceNumber: 41, offset: '4100',
    enqueuedTimeUtc: '2026-12-01T00:00:00.000Z', partitionKey: null, properties: { source: 'sim', sasToken: 'sig=abc', raw: new Uint8Array([1, 2]) },
  };

  it('keeps the original bytes and coordinates, redacts credential-like properties, finds the device id in a bad body', () => {
    const letter = buildDeadLetter({ error: new PipelineError('EVENT_MALFORMED', 'not JSON'), event, source: { eventHubName: 'telemetry', consumerGroup: '$Default' }, attempts: 0, app: 'ingestion' });
    expect(letter).toMatchObject({
      schema: DEAD_LETTER_SCHEMA, issue: { code: 'EVENT_MALFORMED', retryable: false, stage: 'decode' }, bodyBytes: event.body.byteLength,
      eventHubName: 'telemetry', partitionId: '3', sequenceNumber: 41, deviceId: 'drone-7', decoded: null,
      properties: { source: 'sim', sasToken: '***', raw: { $binary: Buffer.from([1, 2]).toString('base64') } }, producer: { app: 'ingestion', invocationId: null },
    });
    expect(originalBody(letter)).toEqual(event.body);
  });

  it('keeps only the first 16 KiB of an oversize body, with the whole body\'s length and sha256', () => {
    const body = Buffer.alloc(1024 * 1024, 0x78);
    body.write('{"deviceId":"drone-00042","timestamp":"2026-11-21T22:00:00Z","pad":"');
    const letter = buildDeadLetter({ error: new PipelineError('EVENT_OVERSIZE', 'too big'), event: { ...event, body }, attempts: 0, app: 'ingestion' });
    expect(letter).toMatchObject({ bodyBytes: body.byteLength, bodySha256: createHash('sha256').update(body).digest('hex'), deviceId: 'drone-00042' });
    expect(Buffer.from(letter.body!, 'base64')).toEqual(body.subarray(0, OVERSIZE_BODY_KEPT_BYTES));
    // The letter stays one queue message (no claim-check blob): far under 64 KiB once base64-encoded again.
    expect(Buffer.byteLength(Buffer.from(JSON.stringify(letter)).toString('base64'))).toBeLessThan(48 * 1024);
    // Nothing to replay: a redrive needs a corrected body.
    expect(() => originalBody(letter)).toThrow(expect.objectContaining({ code: 'EVENT_OVERSIZE', retryable: false }));
  });

  it('keeps a body up to the limit whole', () => {
    const body = Buffer.alloc(MAX_EVENT_BYTES, 0x20);
    const letter = buildDeadLetter({ error: new PipelineError('EVENT_MALFORMED', 'x'), event: { ...event, body }, attempts: 0, app: 'ingestion' });
    expect(originalBody(letter)).toEqual(body);
  });
});
