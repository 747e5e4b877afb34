import { CosmosClient, type Container } from '@azure/cosmos';
import { coalesce, decodeTelemetry, documentIdOf, type DecodedTelemetry } from '@telemetry/device-state';
import { startCosmosServer, type CosmosServerInstance } from '@telemetry/local-services';
import { ensureDeviceStateContainer } from '@telemetry/provisioning';
import { connectCosmos } from './cosmos-connection';
import { CosmosDeviceReader } from './cosmos-device-reader';
import { CosmosDeviceStateStore } from './cosmos-device-state-store';

const T0 = Date.parse('2026-11-21T22:00:00Z');
/** Ids IoT Hub allows that the body rule does not, with every special character it documents. */
const IDS = ["a?b#c", "50%+off", "it's(1)", '*!,=@;$', 'ends.with.dot.', '.', '..', 'x'.repeat(128), "-:.+%_#*?!(),=@;$'", 'drone-00001', 'a%3Fb#c'];

const event = (deviceId: string, seconds: number, battery: number): DecodedTelemetry =>
  decodeTelemetry(Buffer.from(JSON.stringify({ timestamp: new Date(T0 + seconds * 1000).toISOString(), battery })), { deviceId });

describe('IoT Hub device ids against the Cosmos server: stored, addressed and listed by the original id', () => {
  let cosmos: CosmosServerInstance;
  let container: Container;
  const newStore = (bulk: boolean) => new CosmosDeviceStateStore(container, { retry: { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 50 }, concurrency: 8, cacheSize: 1000, bulk });

  beforeAll(async () => {
    cosmos = await startCosmosServer();
    const direct = new CosmosClient({ endpoint: cosmos.endpoint, key: cosmos.key, connectionPolicy: { enableEndpointDiscovery: false } });
    await ensureDeviceStateContainer(direct, 'telemetry', 'devices');
    container = connectCosmos({ endpoint: cosmos.endpoint, key: cosmos.key, database: 'telemetry', container: 'devices', requestTimeoutMs: 10_000 }).container;
  });
  afterAll(async () => {
    await cosmos?.stop();
  });

  it('creates (bulk), replaces (one by one, after a cold start) and reads every id; documents keep the original id', async () => {
    const first = newStore(true);
    expect(await first.apply(coalesce(IDS.map((id) => event(id, 1, 0.5))).values())).toEqual(IDS.map((deviceId) => expect.objectContaining({ deviceId, status: 'written' })));
    // A cold instance: create conflicts (409), read by mapped id, conditional replace.
    const cold = newStore(false);
    expect(await cold.apply(coalesce(IDS.map((id) => event(id, 2, 0.25))).values())).toEqual(IDS.map((deviceId) => expect.objectContaining({ deviceId, status: 'written' })));
    // Bulk replace on ETags the first instance cached (stale now: 412, re-read by mapped id, replace).
    expect(await first.apply(coalesce(IDS.map((id) => event(id, 3, 0.75))).values())).toEqual(IDS.map((deviceId) => expect.objectContaining({ deviceId, status: 'written' })));
    // Older events change nothing, whichever instance sees them.
    expect(await newStore(true).apply(coalesce(IDS.map((id) => event(id, 0, 0.9))).values())).toEqual(IDS.map((deviceId) => expect.objectContaining({ deviceId, status: 'unchanged' })));

    const reader = new CosmosDeviceReader(container);
    for (const id of IDS) {
      const doc = await cold.get(id);
      expect(doc).toMatchObject({ id: documentIdOf(id), deviceId: id, battery: 0.75 });
      const found = await reader.get(id);
      expect(found).toMatchObject({ kind: 'found', device: { deviceId: id, battery: 0.75 } });
    }
    // Body-mode ids are their own document ids: documents written before IoT Hub mode stay where they were.
    expect((await cold.get('drone-00001'))?.id).toBe('drone-00001');
    // 'a%3Fb#c' and 'a?b#c' are different devices with different documents.
    expect(documentIdOf('a%3Fb#c')).not.toBe(documentIdOf('a?b#c'));
    const { resources } = await container.items.query<{ id: string; deviceId: string }>('SELECT c.id, c.deviceId FROM c').fetchAll();
    expect(resources.map((r) => r.deviceId).sort()).toEqual([...IDS].sort());
    expect(await reader.get('a?b')).toEqual({ kind: 'not-found' });
  });
});
