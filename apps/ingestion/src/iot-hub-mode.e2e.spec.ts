import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CosmosClient } from '@azure/cosmos';
import { EventHubProducerClient } from '@azure/event-hubs';
import { QueueClient } from '@azure/storage-queue';
import { CosmosDeviceReader } from '@telemetry/azure-cosmos';
import { decodeDeadLetter, type DeadLetter } from '@telemetry/contracts';
import { documentIdOf, type DeviceStateDocument } from '@telemetry/device-state';
import { waitUntil } from '@telemetry/local-services';
import { startLocalStack, type LocalStack } from '@telemetry/local-stack';
import { iotHubMessage, type IotHubEnvelope } from '@telemetry/simulator';

// The stack starts first and a loaded 2-core CI machine is slow: generous, bounded waits.
jest.setTimeout(420_000);

const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));
const telemetry = (env: Partial<IotHubEnvelope> & { deviceId: string }): IotHubEnvelope => ({ generationId: `g1-${env.deviceId}`, source: 'Telemetry', ...env });

// Issue 22: the ingestion app under the local host with DEVICE_IDENTITY_SOURCE=iothub, fed through
// the Event Hubs emulator with the annotations IoT Hub sets, read back from the Cosmos server.
describe('IoT Hub identity mode on the local stack (emulator -> local host -> Cosmos server, Azurite)', () => {
  let stack: LocalStack;
  let dataDir: string;
  let producer: EventHubProducerClient;
  let deadLetters: QueueClient;
  let reader: CosmosDeviceReader;
  let documents: () => Promise<DeviceStateDocument[]>;
  const seen = new Map<string, DeadLetter>();

  async function letters(): Promise<DeadLetter[]> {
    const { peekedMessageItems } = await deadLetters.peekMessages({ numberOfMessages: 32 });
    for (const m of peekedMessageItems) {
      const letter = decodeDeadLetter(m.messageText);
      seen.set(letter.id, letter);
    }
    return [...seen.values()];
  }
  const send = (deviceId: string, messages: Parameters<typeof iotHubMessage>[]) => producer.sendBatch(messages.map((m) => iotHubMessage(...m)), { partitionKey: deviceId });

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'iot-hub-mode-'));
    stack = await startLocalStack({ dataDir, apps: ['ingestion'], partitions: 2, settingsOverrides: { ingestion: { DEVICE_IDENTITY_SOURCE: 'iothub' } } });
    const d = stack.descriptor;
    producer = new EventHubProducerClient(d.eventHubs.connectionString, d.eventHubs.hubName);
    // The reprocessor is not running: letters stay in the queue; peeks do not hide them.
    deadLetters = new QueueClient(d.storage.connectionString, d.queues.deadLetter);
    const container = new CosmosClient({ endpoint: d.cosmos.endpoint, key: d.cosmos.key, connectionPolicy: { enableEndpointDiscovery: false } }).database(d.cosmos.database).container(d.cosmos.container);
    reader = new CosmosDeviceReader(container, { callTimeoutMs: 10_000 });
    documents = async () => (await container.items.query<DeviceStateDocument>('SELECT * FROM c').fetchAll()).resources;
  });
  afterAll(async () => {
    await producer?.close();
    await stack?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('genuine messages reach state under the authenticated id; spoofed, module, non-telemetry and unauthenticated ones never do', async () => {
    const now = Date.now();
    const at = (s: number): string => new Date(now + s * 1000).toISOString();
    const hubId = "fleet:7?a#b%c*(d)!,=@;$'+";
    await send('drone-1', [[json({ deviceId: 'drone-1', timestamp: at(-10), battery: 0.9 }), telemetry({ deviceId: 'drone-1' }), new Date()]]);
    await send(hubId, [[json({ timestamp: at(-10), battery: 0.5, flightMode: 3 }), telemetry({ deviceId: hubId }), new Date()]]);
    // drone-2 (authenticated) writes as drone-3 (absent) and as drone-1 (present, with a newer reading).
    await send('drone-2', [
      [json({ deviceId: 'drone-3', timestamp: at(-5), battery: 0.01 }), telemetry({ deviceId: 'drone-2' }), new Date()],
      [json({ deviceId: 'drone-1', timestamp: at(-1), battery: 0.01 }), telemetry({ deviceId: 'drone-2' }), new Date()],
    ]);
    await send('drone-4', [[json({ timestamp: at(-5), battery: 0.4 }), telemetry({ deviceId: 'drone-4', moduleId: 'camera' }), new Date()]]);
    await send('drone-5', [
      [json({ version: 3, properties: { reported: { battery: 0.7 } } }), telemetry({ deviceId: 'drone-5', source: 'twinChangeEvents' }), new Date()],
      [json({ deviceId: 'drone-5', timestamp: at(-5), battery: 0.7 }), telemetry({ deviceId: 'drone-5', source: 'deviceLifecycleEvents' }), new Date()],
    ]);
    // An ordinary event hub producer, no IoT Hub annotations: nobody vouches for it.
    await producer.sendBatch([{ body: json({ deviceId: 'drone-6', timestamp: at(-5), battery: 0.6 }) }], { partitionKey: 'drone-6' });

    await waitUntil(async () => (await letters()).length >= 6 && (await documents()).length >= 2, { timeoutMs: 180_000, description: '6 dead letters and 2 devices' });
    const all = await letters();
    const byCode = (code: string) => all.filter((l) => l.issue.code === code);
    expect(all.map((l) => l.issue.code).sort()).toEqual(['EVENT_DEVICE_SPOOFED', 'EVENT_DEVICE_SPOOFED', 'EVENT_FROM_MODULE', 'EVENT_IDENTITY_MISSING', 'EVENT_NOT_TELEMETRY', 'EVENT_NOT_TELEMETRY']);
    expect(byCode('EVENT_DEVICE_SPOOFED').map((l) => [l.deviceId, l.identity?.authenticatedDeviceId, l.identity?.claimedDeviceId]).sort()).toEqual([
      ['drone-2', 'drone-2', 'drone-1'],
      ['drone-2', 'drone-2', 'drone-3'],
    ]);
    // The identity came through the host's systemPropertiesArray with the extension's types.
    expect(byCode('EVENT_DEVICE_SPOOFED')[0]!.identity).toMatchObject({ source: 'iothub', authGenerationId: 'g1-drone-2', messageSource: 'Telemetry', enqueuedTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) });
    expect(byCode('EVENT_FROM_MODULE')[0]!.identity).toMatchObject({ authenticatedDeviceId: 'drone-4', moduleId: 'camera' });
    expect(byCode('EVENT_NOT_TELEMETRY').map((l) => l.identity?.messageSource).sort()).toEqual(['deviceLifecycleEvents', 'twinChangeEvents']);

    const docs = await documents();
    expect(docs.map((doc) => doc.deviceId).sort()).toEqual(['drone-1', hubId].sort());
    expect(docs.find((doc) => doc.deviceId === hubId)).toMatchObject({ id: documentIdOf(hubId), battery: 0.5, flightMode: 3, generation: { id: `g1-${hubId}` } });
    // Addressed by the original id (what the device-status API does), the spoof's newer 0.01 never landed.
    expect(await reader.get('drone-1')).toMatchObject({ kind: 'found', device: { deviceId: 'drone-1', battery: 0.9 } });
    expect(await reader.get(hubId)).toMatchObject({ kind: 'found', device: { deviceId: hubId, battery: 0.5 } });
    for (const absent of ['drone-3', 'drone-4', 'drone-5', 'drone-6']) expect(await reader.get(absent)).toEqual({ kind: 'not-found' });
  });

  it('a recreated device (new auth generation id) starts afresh; a late event of the old generation changes nothing', async () => {
    const now = Date.now();
    const at = (s: number): string => new Date(now + s * 1000).toISOString();
    const g1 = telemetry({ deviceId: 'drone-7', generationId: 'gen-A' });
    await send('drone-7', [[json({ timestamp: at(-30), battery: 0.9, flightMode: 2 }), g1, new Date(now - 20_000)]]);
    await waitUntil(async () => (await reader.get('drone-7')).kind === 'found', { timeoutMs: 120_000, description: 'drone-7, first generation' });
    // Deleted and recreated: a new generation, its clock behind the old one's last reading.
    await send('drone-7', [[json({ timestamp: at(-60), battery: 0.2 }), telemetry({ deviceId: 'drone-7', generationId: 'gen-B' }), new Date(now)]]);
    await waitUntil(async () => (await documents()).find((doc) => doc.deviceId === 'drone-7')?.generation?.id === 'gen-B', { timeoutMs: 120_000, description: 'drone-7, second generation' });
    // A straggler of gen-A (IoT Hub enqueued it before the deletion), then a marker of gen-B behind it on the same partition.
    await send('drone-7', [
      [json({ timestamp: at(-1), battery: 0.99, flightMode: 7 }), g1, new Date(now - 10_000)],
      [json({ timestamp: at(-50), health: { gyrometerOK: true, accelerometerOK: true, magnetometerOK: false } }), telemetry({ deviceId: 'drone-7', generationId: 'gen-B' }), new Date()],
    ]);
    await waitUntil(async () => (await documents()).find((doc) => doc.deviceId === 'drone-7')?.health !== undefined, { timeoutMs: 120_000, description: 'the marker after the straggler' });
    const doc = (await documents()).find((d) => d.deviceId === 'drone-7')!;
    expect(doc).toMatchObject({ battery: 0.2, generation: { id: 'gen-B' }, health: { magnetometerOK: false } });
    expect(doc).not.toHaveProperty('flightMode');
  });
});
