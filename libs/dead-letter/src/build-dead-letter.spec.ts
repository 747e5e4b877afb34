import { PipelineError } from '@telemetry/core';
import { DEAD_LETTER_SCHEMA } from '@telemetry/contracts';
import { buildDeadLetter, originalBody } from './build-dead-letter';

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
});
