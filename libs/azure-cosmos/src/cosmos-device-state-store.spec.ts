import { CosmosClient, type Container } from '@azure/cosmos';
import { coalesce, type DecodedTelemetry, type Telemetry } from '@telemetry/device-state';
import { documentWrites, startCosmosServer, startFaultProxy, type CosmosServerInstance, type FaultProxy } from '@telemetry/local-services';
import { ensureDeviceStateContainer } from '@telemetry/provisioning';
import { connectCosmos } from './cosmos-connection';
import { CosmosDeviceStateStore } from './cosmos-device-state-store';

const decoded = (t: Telemetry): DecodedTelemetry => ({ telemetry: t, time: Date.parse(t.timestamp) });
const patchesOf = (...events: Telemetry[]) => coalesce(events.map(decoded)).values();
const at = (s: number): string => new Date(Date.parse('2026-11-21T22:00:00Z') + s * 1000).toISOString();

describe('CosmosDeviceStateStore against the Cosmos server', () => {
  let cosmos: CosmosServerInstance;
  let proxy: FaultProxy;
  let container: Container;
  let n = 0;
  const newStore = (c: Container = container, callTimeoutMs?: number) =>
    new CosmosDeviceStateStore(c, { retry: { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 50 }, concurrency: 8, cacheSize: 1000, ...(callTimeoutMs ? { callTimeoutMs } : {}) });

  beforeAll(async () => {
    cosmos = await startCosmosServer();
    proxy = await startFaultProxy(cosmos.endpoint);
    const direct = new CosmosClient({ endpoint: cosmos.endpoint, key: cosmos.key, connectionPolicy: { enableEndpointDiscovery: false } });
    await ensureDeviceStateContainer(direct, 'telemetry', 'devices');
    container = connectCosmos({ endpoint: proxy.endpoint, key: cosmos.key, database: 'telemetry', container: 'devices', requestTimeoutMs: 10_000 }).container; // request counts are asserted: no timeout-retry on a loaded machine
  });
  afterAll(async () => {
    await proxy?.close();
    await cosmos?.stop();
  });
  beforeEach(() => {
    proxy.setMode({ kind: 'pass' });
    proxy.resetCounts();
    n++;
  });

  it('creates, then replaces on the cached ETag without reading, and skips writes that change nothing', async () => {
    const store = newStore();
    const id = `d-${n}`;
    expect(await store.apply(patchesOf({ deviceId: id, timestamp: at(1), battery: 0.9 }))).toMatchObject([{ status: 'written' }]);
    expect(await store.apply(patchesOf({ deviceId: id, timestamp: at(2), flightMode: 3 }))).toMatchObject([{ status: 'written' }]);
    // duplicate and older events: nothing to write
    expect(await store.apply(patchesOf({ deviceId: id, timestamp: at(2), flightMode: 3 }, { deviceId: id, timestamp: at(0), battery: 0.1 }))).toMatchObject([{ status: 'unchanged' }]);
    const requests = proxy.requests();
    expect(requests.filter((r) => r.isDocumentWrite)).toHaveLength(2);
    expect(requests.filter((r) => r.isDocumentRead)).toHaveLength(0);
    expect(await store.get(id)).toMatchObject({ id, deviceId: id, battery: 0.9, flightMode: 3, lastEventTime: at(2) });
  });

  it('a cold instance merges onto the stored document (409 -> read -> conditional replace)', async () => {
    const id = `d-${n}`;
    await newStore().apply(patchesOf({ deviceId: id, timestamp: at(5), battery: 0.5 }));
    const cold = newStore();
    expect(await cold.apply(patchesOf({ deviceId: id, timestamp: at(3), battery: 0.7, flightMode: 1 }))).toMatchObject([{ status: 'written' }]);
    expect(await cold.get(id)).toMatchObject({ battery: 0.5, flightMode: 1, lastEventTime: at(5) });
  });

  it('two concurrent writers to one device lose no field (ETag path)', async () => {
    const id = `d-${n}`;
    // 20 writes racing on one document: on a loaded machine one call can take longer than the
    // default 5 s, and timeouts would open the store's circuit; contention is what is tested here.
    const a = newStore(container, 60_000);
    const b = newStore(container, 60_000);
    await a.apply(patchesOf({ deviceId: id, timestamp: at(0), battery: 1 }));
    await b.get(id); // b has never written: its first write goes through the create/409 path
    const rounds = 10;
    const outcomes = await Promise.all(
      Array.from({ length: rounds }, (_, i) => [
        a.apply(patchesOf({ deviceId: id, timestamp: at(10 + i), battery: i / 10 })),
        b.apply(patchesOf({ deviceId: id, timestamp: at(10 + i), position: { latitude: i, longitude: i, altitude: i } })),
      ]).flat(),
    );
    expect(outcomes.flat().filter((o) => o.status === 'failed')).toEqual([]);
    const doc = await a.get(id);
    expect(doc).toMatchObject({ battery: (rounds - 1) / 10, position: { latitude: rounds - 1, longitude: rounds - 1, altitude: rounds - 1 } });
    expect(a.stats().conflicts + b.stats().conflicts).toBeGreaterThan(0);
  });

  it('an unreachable store fails the device as STORE_UNAVAILABLE after bounded retries', async () => {
    proxy.setMode({ kind: 'down' });
    const store = newStore();
    const [outcome] = await store.apply(patchesOf({ deviceId: `d-${n}`, timestamp: at(1), battery: 0.2 }));
    expect(outcome).toMatchObject({ status: 'failed', attempts: 3, error: { code: 'STORE_UNAVAILABLE', retryable: true } });
  });

  it('a 503 is STORE_UNAVAILABLE and a 429 storm is STORE_THROTTLED, honouring retry-after', async () => {
    proxy.setMode({ kind: 'unavailable' });
    expect((await newStore().apply(patchesOf({ deviceId: `d-${n}`, timestamp: at(1) })))[0]).toMatchObject({ status: 'failed', error: { code: 'STORE_UNAVAILABLE' } });
    proxy.setMode({ kind: 'throttle', retryAfterMs: 40 });
    const store = newStore();
    const started = Date.now();
    const [outcome] = await store.apply(patchesOf({ deviceId: `d-${n}-t`, timestamp: at(1) }));
    expect(outcome).toMatchObject({ status: 'failed', attempts: 3, error: { code: 'STORE_THROTTLED', retryable: true } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * 40);
    expect(store.stats().throttles).toBe(3);
  });

  it('writes a multi-device batch as bulk requests: one round trip per 100 devices, conditional on cached ETags', async () => {
    const store = newStore();
    const ids = Array.from({ length: 150 }, (_, i) => `bulk-${n}-${i}`);
    const first = await store.apply(patchesOf(...ids.map((id) => ({ deviceId: id, timestamp: at(1), battery: 0.5 }))));
    expect(first.every((o) => o.status === 'written')).toBe(true);
    expect(proxy.requests().filter((r) => r.isDocumentWrite)).toHaveLength(2); // 100 + 50 operations
    expect(documentWrites(proxy.requests())).toBe(150);
    proxy.resetCounts();
    const second = await store.apply(patchesOf(...ids.map((id) => ({ deviceId: id, timestamp: at(2), flightMode: 4 }))));
    expect(second.every((o) => o.status === 'written')).toBe(true);
    expect(proxy.requests().filter((r) => r.isDocumentRead)).toHaveLength(0);
    expect(await store.get(ids[149]!)).toMatchObject({ battery: 0.5, flightMode: 4, lastEventTime: at(2) });
  });

  it('bulk conflicts (a cold instance, a stale ETag) fall back to re-read and merge, losing nothing', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `conf-${n}-${i}`);
    const warm = newStore();
    await warm.apply(patchesOf(...ids.map((id) => ({ deviceId: id, timestamp: at(5), battery: 0.1 }))));
    const other = newStore();
    // other is cold: its creates get 409 -> read -> conditional replace
    const coldOutcomes = await other.apply(patchesOf(...ids.map((id) => ({ deviceId: id, timestamp: at(6), flightMode: 2 }))));
    expect(coldOutcomes.every((o) => o.status === 'written')).toBe(true);
    // warm now holds stale ETags: its replaces get 412 -> read -> merge -> replace
    const staleOutcomes = await warm.apply(patchesOf(...ids.map((id) => ({ deviceId: id, timestamp: at(7), position: { latitude: 1, longitude: 2, altitude: 3 } }))));
    expect(staleOutcomes.every((o) => o.status === 'written')).toBe(true);
    expect(warm.stats().conflicts).toBeGreaterThanOrEqual(20);
    for (const id of ids) {
      expect(await warm.get(id)).toMatchObject({ battery: 0.1, flightMode: 2, position: { latitude: 1, longitude: 2, altitude: 3 }, lastEventTime: at(7) });
    }
  });

  it('a bulk request against a store that is down fails every device in it, retryable', async () => {
    proxy.setMode({ kind: 'down' });
    const outcomes = await newStore().apply(patchesOf(...Array.from({ length: 5 }, (_, i) => ({ deviceId: `down-${n}-${i}`, timestamp: at(1) }))));
    expect(outcomes.map((o) => o.status)).toEqual(Array(5).fill('failed'));
    // one bulk request, then the one-by-one path's 3 attempts
    expect(outcomes[0]).toMatchObject({ attempts: 4, error: { code: 'STORE_UNAVAILABLE', retryable: true } });
  });

  it('recovers once the store is back', async () => {
    proxy.setMode({ kind: 'down' });
    const store = newStore();
    const id = `d-${n}`;
    expect((await store.apply(patchesOf({ deviceId: id, timestamp: at(1), battery: 0.3 })))[0]?.status).toBe('failed');
    proxy.setMode({ kind: 'pass' });
    expect((await store.apply(patchesOf({ deviceId: id, timestamp: at(1), battery: 0.3 })))[0]?.status).toBe('written');
  });
});
