import { CosmosClient } from '@azure/cosmos';
import { CosmosDeviceStateStore } from '@telemetry/azure-cosmos';
import { patchOf } from '@telemetry/device-state';
import { startCosmosServer, type CosmosServerInstance } from '@telemetry/local-services';
import { DroneFleet, seededRandom } from '@telemetry/simulator';
import { DEVICE_DOCUMENT_BYTES, writeRu } from './cosmos-charges';

/**
 * The RU charges the planner uses depend on the size of the document the product writes. This
 * writes a device's document through the product's own store from a simulator key frame (every
 * field set, the largest document) and measures what the Cosmos server stores.
 */
describe('device document size (Cosmos server)', () => {
  let cosmos: CosmosServerInstance;
  beforeAll(async () => {
    cosmos = await startCosmosServer();
  }, 120_000);
  afterAll(async () => {
    await cosmos?.stop();
  });

  it('is the size the planner charges for, inside the 1 KB write charge', async () => {
    const client = new CosmosClient({ endpoint: cosmos.endpoint, key: cosmos.key, connectionPolicy: { enableEndpointDiscovery: false } });
    const { database } = await client.databases.createIfNotExists({ id: 'telemetry' });
    const { container } = await database.containers.createIfNotExists({ id: 'devices', partitionKey: { paths: ['/deviceId'] } });
    const store = new CosmosDeviceStateStore(container, { retry: { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 100 }, concurrency: 4, cacheSize: 100 });
    const fleet = new DroneFleet({ devices: 20, keyFrameEvery: 1, random: seededRandom(21), startTime: Date.parse('2026-12-01T00:00:00Z') });
    const events = Array.from({ length: 20 }, () => fleet.next());
    const outcomes = await store.apply(events.map((telemetry) => patchOf({ telemetry, time: Date.parse(telemetry.timestamp) })));
    expect(outcomes.every((o) => o.status === 'written')).toBe(true);

    const { resources } = await container.items.readAll().fetchAll();
    expect(resources.length).toBeGreaterThan(0);
    const sizes = resources.map((doc) => Buffer.byteLength(JSON.stringify(doc)));
    const largest = Math.max(...sizes);
    // Within 5 % of the constant (coordinates vary in digits), and in the same 1 KB charge step.
    expect(Math.abs(largest - DEVICE_DOCUMENT_BYTES)).toBeLessThanOrEqual(DEVICE_DOCUMENT_BYTES * 0.05);
    expect(writeRu(largest)).toBe(writeRu(DEVICE_DOCUMENT_BYTES));
    expect(largest).toBeLessThanOrEqual(1024);
  }, 120_000);
});
