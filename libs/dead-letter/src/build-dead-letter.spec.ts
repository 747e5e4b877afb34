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

  describe('no credential reaches a letter, whatever carries it (the sender is untrusted)', () => {
    const accountKey = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
    const connection = `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${accountKey};EndpointSuffix=core.windows.net`;
    const sasUrl = 'https://acct.queue.core.windows.net/q?sv=2024-08-04&sp=r&sig=RAWSIG1234%2Bab%3D';
    const everywhere = (letter: object): string => JSON.stringify(letter) + Buffer.from((letter as { body: string }).body, 'base64').toString('latin1');

    it('a body holding a connection string keeps everything but the key, and says it was masked', () => {
      const body = Buffer.from(`{"deviceId":"drone-7","note":"${connection}","battery":0.5}`);
      const letter = buildDeadLetter({ error: new PipelineError('EVENT_INVALID', 'unknown field note'), event: { ...event, body }, attempts: 0, app: 'ingestion' });
      expect(everywhere(letter)).not.toContain(accountKey);
      expect(letter.bodyRedacted).toBe(true);
      expect(Buffer.from(letter.body!, 'base64').toString()).toBe(`{"deviceId":"drone-7","note":"${connection.replace(accountKey, '***')}","battery":0.5}`);
      // As received: the length and hash of the body that came in; a redrive sends the masked one.
      expect(letter).toMatchObject({ bodyBytes: body.byteLength, bodySha256: createHash('sha256').update(body).digest('hex') });
      expect(originalBody(letter).toString()).toContain('AccountKey=***;');
    });

    it('an oversize body whose kept head held a credential is masked and still not replayable', () => {
      const body = Buffer.alloc(MAX_EVENT_BYTES + 1, 0x78);
      body.write(`{"deviceId":"drone-7","note":"${connection}","pad":"`);
      const letter = buildDeadLetter({ error: new PipelineError('EVENT_OVERSIZE', 'too big'), event: { ...event, body }, attempts: 0, app: 'ingestion' });
      expect(letter.bodyRedacted).toBe(true);
      expect(everywhere(letter)).not.toContain(accountKey);
      expect(() => originalBody(letter)).toThrow(expect.objectContaining({ code: 'EVENT_OVERSIZE' }));
    });

    it('a body without a credential is kept byte for byte, unpadded tokens and invalid UTF-8 included', () => {
      const token = Buffer.from(accountKey, 'base64').toString('base64url'); // unpadded: the shape of device ids and payload tokens
      const body = Buffer.concat([Buffer.from(`{"deviceId":"drone-7","image":"${token}","x":"`), Buffer.from([0xff, 0x00, 0xc3]), Buffer.from('"}')]);
      const letter = buildDeadLetter({ error: new PipelineError('EVENT_ENCODING', 'not UTF-8'), event: { ...event, body }, attempts: 0, app: 'ingestion' });
      expect(letter.bodyRedacted).toBeUndefined();
      expect(originalBody(letter)).toEqual(body);
    });

    it('a credential hidden by an encoding, or a bare padded key, is masked in the body; the telemetry fields stay', () => {
      for (const hidden of [accountKey, Buffer.from(connection).toString('base64'), Buffer.from(connection).toString('hex'), encodeURIComponent(connection), `SharedAccessKey\\u003d${accountKey.slice(0, 43)}=`]) {
        const body = Buffer.from(`{"deviceId":"drone-7","timestamp":"2026-12-01T00:00:00.000Z","note":"${hidden}","battery":0.5}`);
        const letter = buildDeadLetter({ error: new PipelineError('STORE_UNAVAILABLE', 'down'), event: { ...event, body }, attempts: 0, app: 'ingestion' });
        expect(letter.bodyRedacted).toBe(true);
        expect(everywhere(letter)).not.toContain(accountKey.slice(0, 40));
        expect(everywhere(letter)).not.toContain(hidden);
        expect(JSON.parse(originalBody(letter).toString())).toMatchObject({ deviceId: 'drone-7', timestamp: '2026-12-01T00:00:00.000Z', battery: 0.5 });
      }
    });

    it('a property NAME carrying a credential is kept redacted, with its value masked; a bare key as partition key is masked', () => {
      const letter = buildDeadLetter({
        error: new PipelineError('EVENT_MALFORMED', 'x'),
        event: { ...event, partitionKey: accountKey, properties: { [connection]: 'v', [Buffer.from(connection).toString('base64')]: 'w', plain: 'kept' } },
        attempts: 0,
        app: 'ingestion',
      });
      expect(everywhere(letter)).not.toContain(accountKey);
      expect(everywhere(letter)).not.toContain(Buffer.from(connection).toString('base64'));
      expect(letter.partitionKey).toBe('***');
      expect(letter.properties).toMatchObject({ plain: 'kept', [connection.replace(accountKey, '***')]: '***' });
    });

    it('properties: binary values, lists, maps and names such as sig or auth; the partition key; IoT Hub identity fields', () => {
      const letter = buildDeadLetter({
        error: new PipelineError('EVENT_IDENTITY_MISSING', 'no device id'),
        event: {
          ...event,
          partitionKey: `SharedAccessKey=${accountKey.slice(0, 44)}`,
          properties: { blob: Buffer.from(connection), list: [connection, 1], meta: { conn: connection, password: 'hunter2' }, sig: 'abc', auth: 'Basic dXNlcjpodW50ZXIy', url: sasUrl, kept: 'drone-7' },
        },
        identity: { deviceId: 'x'.repeat(30_000), moduleId: null, authGenerationId: connection, messageSource: `Telemetry ${sasUrl}`, enqueuedTime: null },
        attempts: 0,
        app: 'ingestion',
      });
      const text = everywhere(letter) + Buffer.from((letter.properties['blob'] as { $binary: string }).$binary, 'base64').toString('latin1');
      for (const secret of [accountKey, accountKey.slice(0, 44), 'hunter2', 'dXNlcjpodW50ZXIy', 'RAWSIG1234']) expect(text).not.toContain(secret);
      expect(letter.properties).toMatchObject({ sig: '***', auth: '***', kept: 'drone-7', meta: { password: '***' } });
      expect(Buffer.from((letter.properties['blob'] as { $binary: string }).$binary, 'base64').toString()).toBe(connection.replace(accountKey, '***'));
      // Sender-supplied identity fields are bounded: a claim-check summary keeps them and must stay one queue message.
      expect(letter.identity!.authenticatedDeviceId).toBeNull(); // not an IoT Hub id: nothing can be applied under it
      expect(letter.deviceId).toBeNull();
    });
  });

  it('events without a sequence number (metadata missing) get distinct ids from their bytes, not one shared id', () => {
    const build = (body: string, sequenceNumber: number) => buildDeadLetter({ error: new PipelineError('EVENT_MALFORMED', 'x'), event: { ...event, body: Buffer.from(body), sequenceNumber }, attempts: 0, app: 'ingestion' });
    expect(build('{"a":', -1).id).not.toBe(build('{"b":', -1).id);
    expect(build('{"a":', -1).id).toBe(build('{"a":', -1).id);
    expect(build('{"a":', 41).id).toBe(build('{"b":', 41).id); // located: the coordinates name the event
  });

  it('IoT Hub ids are kept exactly as authenticated (a long mixed-case id is an id, not a key): replay applies to that device', () => {
    const deviceId = 'WarehouseNorth-TemperatureSensor-0001';
    const letter = buildDeadLetter({
      error: new PipelineError('STORE_UNAVAILABLE', 'down'), event: { ...event, body: Buffer.from('{"timestamp":"2026-12-01T00:00:00.000Z"}') }, attempts: 4, app: 'ingestion',
      identity: { deviceId, moduleId: 'Edge-Module_With-A-Long-MixedCase-Name', authGenerationId: '636398437574231238', messageSource: 'Telemetry', enqueuedTime: null },
    });
    expect(letter.identity).toMatchObject({ authenticatedDeviceId: deviceId, moduleId: 'Edge-Module_With-A-Long-MixedCase-Name' });
  });

  it('events without a sequence number from two devices with the same bytes get two ids', () => {
    const body = Buffer.from('{"timestamp":"2026-12-01T00:00:00.000Z","battery":0.5}');
    const build = (deviceId: string) => buildDeadLetter({
      error: new PipelineError('STORE_UNAVAILABLE', 'down'), event: { ...event, body, sequenceNumber: -1, partitionKey: deviceId }, attempts: 4, app: 'ingestion',
      identity: { deviceId, moduleId: null, authGenerationId: null, messageSource: 'Telemetry', enqueuedTime: null },
    });
    expect(build('drone-1').id).not.toBe(build('drone-2').id);
    expect(build('drone-1').id).toBe(build('drone-1').id);
  });

  it('keeps a body up to the limit whole', () => {
    const body = Buffer.alloc(MAX_EVENT_BYTES, 0x20);
    const letter = buildDeadLetter({ error: new PipelineError('EVENT_MALFORMED', 'x'), event: { ...event, body }, attempts: 0, app: 'ingestion' });
    expect(originalBody(letter)).toEqual(body);
  });
});
