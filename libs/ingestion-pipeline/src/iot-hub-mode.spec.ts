import { silentLogger } from '@telemetry/core';
import { InMemoryDeviceStateStore } from '@telemetry/device-store/testing';
import { InMemoryDeadLetterSink } from '@telemetry/dead-letter/testing';
import type { SourceEvent } from '@telemetry/contracts';
import { processBatch, type IngestionDeps } from './process-batch';

const T0 = Date.parse('2026-11-21T22:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString();
let seq = 0;

/** An event as IoT Hub forwards it to its built-in endpoint: the authenticated identity in system properties. */
function fromIotHub(device: string, body: object, extra: Record<string, unknown> = {}): SourceEvent {
  seq++;
  return {
    body: Buffer.from(JSON.stringify(body)),
    partitionId: '0', sequenceNumber: seq, offset: String(seq), enqueuedTimeUtc: iso(T0 + seq), partitionKey: device, properties: {},
    systemProperties: {
      'iothub-connection-device-id': device,
      'iothub-connection-auth-generation-id': 'gen-1',
      'iothub-connection-auth-method': '{"scope":"device","type":"sas","issuer":"iothub"}',
      'iothub-message-source': 'Telemetry',
      'iothub-enqueuedtime': iso(T0 + seq),
      ...extra,
    },
  };
}

describe('processBatch in IoT Hub identity mode (DEVICE_IDENTITY_SOURCE=iothub)', () => {
  const setup = (identitySource: IngestionDeps['identitySource'] = 'iothub') => {
    const store = new InMemoryDeviceStateStore();
    const sink = new InMemoryDeadLetterSink();
    return { store, sink, deps: { store, deadLetters: sink, logger: silentLogger, app: 'test', identitySource } satisfies IngestionDeps };
  };

  it('spoofed bodies never reach state, genuine ones do; the letter carries both ids', async () => {
    const { store, sink, deps } = setup();
    const report = await processBatch({
      events: [
        fromIotHub('drone-1', { deviceId: 'drone-1', timestamp: iso(T0), battery: 0.9 }),
        fromIotHub('drone-1', { deviceId: 'drone-2', timestamp: iso(T0 + 1000), battery: 0.01 }), // drone-1 writing drone-2's state
        fromIotHub('drone-3', { timestamp: iso(T0), flightMode: 4 }), // no deviceId in the body: the authenticated one
      ],
      source: {},
    }, deps);
    expect(report).toMatchObject({ applied: 2, deadLettered: 1, deadLetteredByCode: { EVENT_DEVICE_SPOOFED: 1 } });
    expect(await store.get('drone-2')).toBeUndefined();
    expect(await store.get('drone-1')).toMatchObject({ battery: 0.9 });
    expect(await store.get('drone-3')).toMatchObject({ flightMode: 4 });
    expect(sink.letters[0]).toMatchObject({
      issue: { code: 'EVENT_DEVICE_SPOOFED', retryable: false, stage: 'validate' },
      deviceId: 'drone-1',
      identity: { source: 'iothub', authenticatedDeviceId: 'drone-1', claimedDeviceId: 'drone-2', authGenerationId: 'gen-1', messageSource: 'Telemetry', moduleId: null },
      decoded: null,
    });
  });

  it('module messages and non-telemetry sources are dead-lettered with their own permanent codes, never applied', async () => {
    const { store, sink, deps } = setup();
    const report = await processBatch({
      events: [
        fromIotHub('drone-4', { timestamp: iso(T0), battery: 0.4 }, { 'iothub-connection-module-id': 'camera' }),
        fromIotHub('drone-4', { version: 3, properties: { desired: { battery: 1 } } }, { 'iothub-message-source': 'twinChangeEvents' }),
        fromIotHub('drone-4', { deviceId: 'drone-4', timestamp: iso(T0), battery: 0.5 }, { 'iothub-message-source': 'deviceLifecycleEvents' }),
        fromIotHub('drone-4', { timestamp: iso(T0) }, { 'iothub-message-source': 'deviceConnectionStateEvents' }),
      ],
      source: {},
    }, deps);
    expect(report).toMatchObject({ applied: 0, deadLettered: 4, deadLetteredByCode: { EVENT_FROM_MODULE: 1, EVENT_NOT_TELEMETRY: 3 } });
    expect(await store.get('drone-4')).toBeUndefined();
    expect(sink.letters.map((l) => [l.issue.code, l.identity?.moduleId, l.identity?.messageSource, l.issue.retryable])).toEqual([
      ['EVENT_FROM_MODULE', 'camera', 'Telemetry', false],
      ['EVENT_NOT_TELEMETRY', null, 'twinChangeEvents', false],
      ['EVENT_NOT_TELEMETRY', null, 'deviceLifecycleEvents', false],
      ['EVENT_NOT_TELEMETRY', null, 'deviceConnectionStateEvents', false],
    ]);
  });

  it('an event without an IoT Hub identity is EVENT_IDENTITY_MISSING, whatever its body says', async () => {
    const { store, sink, deps } = setup();
    const plain: SourceEvent = { ...fromIotHub('x', {}), body: Buffer.from(JSON.stringify({ deviceId: 'drone-5', timestamp: iso(T0), battery: 1 })), systemProperties: {} };
    expect(await processBatch({ events: [plain], source: {} }, deps)).toMatchObject({ applied: 0, deadLetteredByCode: { EVENT_IDENTITY_MISSING: 1 } });
    expect(await store.get('drone-5')).toBeUndefined();
    expect(sink.letters[0]).toMatchObject({ deviceId: null, identity: { authenticatedDeviceId: null } });
  });

  it('a recreated device (new auth generation) starts afresh; late events of the old generation change nothing', async () => {
    const { store, deps } = setup();
    await processBatch({ events: [fromIotHub('drone-6', { timestamp: iso(T0 + 60_000), battery: 0.9, flightMode: 2 })], source: {} }, deps);
    // Deleted and recreated: its clock restarted behind the old one.
    const recreated = fromIotHub('drone-6', { timestamp: iso(T0), battery: 0.2 }, { 'iothub-connection-auth-generation-id': 'gen-2', 'iothub-enqueuedtime': iso(T0 + 100_000) });
    expect(await processBatch({ events: [recreated], source: {} }, deps)).toMatchObject({ applied: 1, written: 1 });
    expect(await store.get('drone-6')).toEqual(expect.objectContaining({ battery: 0.2, generation: { id: 'gen-2', seenAt: iso(T0 + 100_000) } }));
    expect(await store.get('drone-6')).not.toHaveProperty('flightMode');
    // A late event of the old generation (enqueued before the deletion), arriving now: not applied.
    const late = fromIotHub('drone-6', { timestamp: iso(T0 + 70_000), battery: 0.99, flightMode: 7 }, { 'iothub-enqueuedtime': iso(T0 + 50_000) });
    expect(await processBatch({ events: [late], source: {} }, deps)).toMatchObject({ written: 0, unchanged: 1, deadLettered: 0 });
    expect(await store.get('drone-6')).toEqual(expect.objectContaining({ battery: 0.2, generation: { id: 'gen-2', seenAt: iso(T0 + 100_000) } }));
  });

  it('IoT Hub ids outside the body rule are accepted and stored under the original id', async () => {
    const { store, deps } = setup();
    const id = "fleet:7?a#b%c*(d)!,=@;$'+";
    expect(await processBatch({ events: [fromIotHub(id, { timestamp: iso(T0), battery: 0.3 })], source: {} }, deps)).toMatchObject({ applied: 1 });
    expect(await store.get(id)).toMatchObject({ deviceId: id, id: 'fleet:7~3Fa~23b~25c~2A~28d~29~21~2C~3D~40~3B~24~27~2B' });
  });

  it('body mode ignores system properties: the body names the device (today\'s behaviour)', async () => {
    const { store, deps } = setup('body');
    await processBatch({ events: [fromIotHub('drone-1', { deviceId: 'drone-2', timestamp: iso(T0), battery: 0.5 })], source: {} }, deps);
    expect(await store.get('drone-2')).toMatchObject({ battery: 0.5 });
    expect(await store.get('drone-2')).not.toHaveProperty('generation');
  });
});
