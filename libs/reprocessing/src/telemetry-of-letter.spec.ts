import { PipelineError } from '@telemetry/core';
import { buildDeadLetter } from '@telemetry/dead-letter';
import { readIotHubIdentity } from '@telemetry/device-state';
import type { SourceEvent } from '@telemetry/contracts';
import { telemetryOfLetter } from './telemetry-of-letter';

const T0 = '2026-11-21T22:00:00.000Z';
const event = (body: object, device: string): SourceEvent => ({
  body: Buffer.from(JSON.stringify(body)), partitionId: '0', sequenceNumber: 1, offset: '1', enqueuedTimeUtc: T0, partitionKey: null, properties: {},
  systemProperties: { 'iothub-connection-device-id': device, 'iothub-connection-auth-generation-id': 'gen-9', 'iothub-message-source': 'Telemetry', 'iothub-enqueuedtime': T0 },
});

describe('telemetryOfLetter for IoT Hub mode letters', () => {
  const letterOf = (body: object, device: string, decoded: object | null) => {
    const e = event(body, device);
    return buildDeadLetter({ error: new PipelineError('STORE_UNAVAILABLE', 'down'), event: e, decoded: decoded as never, attempts: 4, app: 'test', identity: readIotHubIdentity(e.systemProperties) });
  };

  it('re-applies under the authenticated device and its generation (ids outside the body rule included)', () => {
    const letter = letterOf({ timestamp: T0, battery: 0.4 }, 'a?b', { deviceId: 'a?b', timestamp: T0, battery: 0.4 });
    expect(telemetryOfLetter(letter)).toEqual({ telemetry: { deviceId: 'a?b', timestamp: T0, battery: 0.4 }, time: Date.parse(T0), generation: { id: 'gen-9', at: Date.parse(T0) } });
  });

  it("a `decoded` naming another device than the authenticated one is ignored: the body is decoded again under the identity", () => {
    const forged = letterOf({ timestamp: T0, battery: 0.4 }, 'drone-1', { deviceId: 'drone-2', timestamp: T0, battery: 0.01 });
    expect(telemetryOfLetter(forged).telemetry).toEqual({ deviceId: 'drone-1', timestamp: T0, battery: 0.4 });
    const spoofedBody = letterOf({ deviceId: 'drone-2', timestamp: T0, battery: 0.4 }, 'drone-1', { deviceId: 'drone-2', timestamp: T0, battery: 0.01 });
    expect(() => telemetryOfLetter(spoofedBody)).toThrow(expect.objectContaining({ code: 'EVENT_DEVICE_SPOOFED' }));
  });
});

describe('telemetryOfLetter: the clock reference a letter cannot forge', () => {
  const NOW = Date.parse('2026-12-02T06:00:00.000Z');
  const letterAt = (enqueuedTimeUtc: string, timestamp: string) => {
    const body = { deviceId: 'drone-7', timestamp, battery: 0.01 };
    const e: SourceEvent = { body: Buffer.from(JSON.stringify(body)), partitionId: '0', sequenceNumber: 1, offset: '1', enqueuedTimeUtc, partitionKey: 'drone-7', properties: {}, systemProperties: {} };
    return { ...buildDeadLetter({ error: new PipelineError('STORE_UNAVAILABLE', 'down'), event: e, decoded: { telemetry: body, time: Date.parse(timestamp) } as never, attempts: 4, app: 'test' }), enqueuedTimeUtc, failedAt: enqueuedTimeUtc };
  };

  it('a letter claiming a future enqueue cannot carry a future event past the skew rule (it would freeze the device)', () => {
    const forged = letterAt('2099-12-31T23:58:00.000Z', '2099-12-31T23:59:00.000Z');
    expect(() => telemetryOfLetter(forged, 120, NOW)).toThrow(expect.objectContaining({ code: 'EVENT_CLOCK_SKEW' }));
  });

  it('an honest letter that waited is still measured against its own enqueue, not the time of reprocessing', () => {
    const waited = letterAt('2026-11-30T10:00:00.000Z', '2026-11-30T10:00:30.000Z');
    expect(telemetryOfLetter(waited, 120, NOW).telemetry).toMatchObject({ deviceId: 'drone-7', battery: 0.01 });
    const ahead = letterAt('2026-11-30T10:00:00.000Z', '2026-11-30T11:00:00.000Z'); // an hour ahead of its enqueue, though behind now
    expect(() => telemetryOfLetter(ahead, 120, NOW)).toThrow(expect.objectContaining({ code: 'EVENT_CLOCK_SKEW' }));
  });
});
