import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CosmosClient } from '@azure/cosmos';
import { EventHubProducerClient, type EventData } from '@azure/event-hubs';
import { QueueClient } from '@azure/storage-queue';
import { decodeDeadLetter, type DeadLetter } from '@telemetry/contracts';
import { waitUntil } from '@telemetry/local-services';
import { startLocalStack, type LocalStack } from '@telemetry/local-stack';
import { iotHubMessage, sha256, type AmqpAnnotatedMessage } from '@telemetry/simulator';
import { iotHubHostileBodies } from './scenarios/hostile-inputs';

// The stack starts first and a loaded 2-core CI machine is slow: generous, bounded waits.
jest.setTimeout(480_000);

/** Keys a stored device document may have: the contract's fields, IoT Hub mode's generation, and Cosmos' own. */
const DOCUMENT_KEYS = new Set(['id', 'deviceId', 'battery', 'flightMode', 'position', 'health', 'fieldTimes', 'lastEventTime', 'updatedAt', 'schemaVersion', 'keyFrame', 'generation', '_rid', '_self', '_etag', '_attachments', '_ts']);
/** Batteries only the refused events carry (valid hostile bodies use multiples of 0.001). */
const REFUSED_MARKERS = new Set([0.0005, 0.0015, 0.0025, 0.0035]);

// Issue 22: the fault matrix's hostile-input scenario in IoT Hub mode, on the local stack.
describe('hostile inputs in IoT Hub mode (ingestion with DEVICE_IDENTITY_SOURCE=iothub on the local stack)', () => {
  let stack: LocalStack;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'hostile-iot-hub-'));
    stack = await startLocalStack({ dataDir, apps: ['ingestion'], partitions: 4, settingsOverrides: { ingestion: { DEVICE_IDENTITY_SOURCE: 'iothub' } } });
  });
  afterAll(async () => {
    await stack?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('every hostile, spoofing, module, non-telemetry and unauthenticated event is dead-lettered with its code; the valid ones are applied with the contract fields only', async () => {
    const d = stack.descriptor;
    const bodies = iotHubHostileBodies({ count: 300, seed: 22, startTime: Date.now() - 60_000, devices: 50, maxOversize: 3 });
    const producer = new EventHubProducerClient(d.eventHubs.connectionString, d.eventHubs.hubName);
    try {
      const byDevice = new Map<string, (EventData | AmqpAnnotatedMessage)[]>();
      for (const b of bodies) {
        const list = byDevice.get(b.deviceId) ?? [];
        list.push(b.envelope ? iotHubMessage(b.body, b.envelope, new Date()) : { body: b.body });
        byDevice.set(b.deviceId, list);
      }
      // One event per send: an oversize body (up to 256 KiB) fits, and annotated and plain events never share a batch.
      for (const [deviceId, events] of byDevice) for (const e of events) await producer.sendBatch([e] as EventData[], { partitionKey: deviceId });
    } finally {
      await producer.close();
    }

    const corrupt = bodies.filter((b) => b.kind === 'corrupt');
    const valid = bodies.filter((b) => b.kind === 'valid');
    const letters = new Map<string, DeadLetter>();
    const queue = new QueueClient(d.storage.connectionString, d.queues.deadLetter);
    const container = new CosmosClient({ endpoint: d.cosmos.endpoint, key: d.cosmos.key, connectionPolicy: { enableEndpointDiscovery: false } }).database(d.cosmos.database).container(d.cosmos.container);
    const docs = async () => (await container.items.query<Record<string, unknown>>('SELECT * FROM c').fetchAll()).resources;
    const validDevices = new Set(valid.map((b) => b.deviceId));
    await waitUntil(async () => {
      // Received (hidden) rather than peeked: more than 32 letters. Nothing else reads this queue.
      for (;;) {
        const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 3600 });
        if (receivedMessageItems.length === 0) break;
        for (const m of receivedMessageItems) {
          const letter = decodeDeadLetter(m.messageText);
          letters.set(letter.id, letter);
        }
      }
      return letters.size >= corrupt.length && (await docs()).length >= validDevices.size;
    }, { timeoutMs: 240_000, description: `${corrupt.length} dead letters and ${validDevices.size} devices` });

    // Each refused event is one letter with the code it must get (matched by the body's sha256).
    const codeBySha = new Map<string, string[]>();
    for (const l of letters.values()) codeBySha.set(l.bodySha256, [...(codeBySha.get(l.bodySha256) ?? []), l.issue.code]);
    const mismatches = corrupt.filter((b) => !(codeBySha.get(sha256(b.body)) ?? []).includes(b.expectedCode!)).map((b) => `${b.attack}: ${b.expectedCode} vs ${codeBySha.get(sha256(b.body))?.join(',')}`);
    expect(mismatches).toEqual([]);
    expect(letters.size).toBe(corrupt.length);
    expect(new Set(corrupt.map((b) => b.attack))).toEqual(new Set(['bad-utf8', 'deep-nesting', 'huge-number', 'prototype-pollution', 'not-an-object', 'garbage', 'oversize', 'spoof', 'module', 'non-telemetry', 'unauthenticated']));
    const spoofs = [...letters.values()].filter((l) => l.issue.code === 'EVENT_DEVICE_SPOOFED');
    expect(spoofs.every((l) => l.identity?.authenticatedDeviceId === l.deviceId && l.identity?.claimedDeviceId !== l.deviceId)).toBe(true);

    const stored = await docs();
    expect(new Set(stored.map((doc) => doc['deviceId']))).toEqual(validDevices);
    expect(stored.filter((doc) => Object.keys(doc).some((k) => !DOCUMENT_KEYS.has(k))).map((doc) => doc['id'])).toEqual([]);
    // No refused event reached state: their marker batteries appear nowhere.
    expect(stored.filter((doc) => REFUSED_MARKERS.has(doc['battery'] as number)).map((doc) => doc['deviceId'])).toEqual([]);
    // Devices whose ids only IoT Hub allows were applied under their original id.
    expect(stored.filter((doc) => String(doc['deviceId']).includes('?#%')).length).toBe(valid.filter((b) => b.attack === 'iot-hub-id').length);
  });
});
