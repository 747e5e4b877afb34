import { CosmosClient, type Container } from '@azure/cosmos';
import { PipelineError } from '@telemetry/core';
import { connectCosmos } from './cosmos-connection';
import { ensureDeviceStateContainer } from '@telemetry/provisioning';
import { startCosmosServer, startFaultProxy, type CosmosServerInstance, type FaultProxy } from '@telemetry/local-services';
import { CosmosDeviceReader } from './cosmos-device-reader';
import { parseDeviceListQuery, type DeviceListQuery } from '@telemetry/device-queries';
import { deviceDoc, seedDevices } from '@telemetry/device-queries/testing';

const id = (i: number) => `drone-${String(i).padStart(3, '0')}`;

describe('CosmosDeviceReader against the Cosmos server', () => {
  let cosmos: CosmosServerInstance;
  let proxy: FaultProxy;
  let container: Container;
  let reader: CosmosDeviceReader;

  beforeAll(async () => {
    cosmos = await startCosmosServer();
    proxy = await startFaultProxy(cosmos.endpoint);
    const direct = new CosmosClient({ endpoint: cosmos.endpoint, key: cosmos.key, connectionPolicy: { enableEndpointDiscovery: false } });
    container = await ensureDeviceStateContainer(direct, 'telemetry', 'devices');
    // 40 devices on a line from (0,0) to (39,-39); battery i/40; updated one second apart.
    await seedDevices(
      container,
      Array.from({ length: 40 }, (_, i) =>
        deviceDoc(id(i), { battery: i / 40, position: { latitude: i, longitude: -i, altitude: 100 }, updatedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString() }),
      ),
    );
    const viaProxy = connectCosmos({ endpoint: proxy.endpoint, key: cosmos.key, database: 'telemetry', container: 'devices', requestTimeoutMs: 10_000 }); // healthy reads on a loaded machine must not time out
    reader = new CosmosDeviceReader(viaProxy.container);
  });
  afterAll(async () => {
    await proxy?.close();
    await cosmos?.stop();
  });

  async function allPages(query: Omit<DeviceListQuery, 'continuation'>): Promise<string[][]> {
    const pages: string[][] = [];
    let continuation: string | undefined;
    do {
      const page = await reader.list({ ...query, ...(continuation ? { continuation } : {}) });
      pages.push(page.devices.map((d) => d.deviceId));
      continuation = page.continuation;
    } while (continuation && pages.length < 50);
    return pages;
  }

  it('pages across several pages: disjoint, in deviceId order, together exactly all devices', async () => {
    const pages = await allPages({ pageSize: 7 });
    expect(pages.map((p) => p.length)).toEqual([7, 7, 7, 7, 7, 5]);
    expect(pages.flat()).toEqual(Array.from({ length: 40 }, (_, i) => id(i)));
  });

  it('filters combine (updated since, bounding box, low battery) and page', async () => {
    const parsed = parseDeviceListQuery(new URLSearchParams('updatedSince=2026-01-01T00:00:05Z&bbox=-30,0,0,25&batteryBelow=0.5&pageSize=4'));
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    const pages = await allPages(parsed.value);
    // since -> i >= 5; box -> latitude 0..25 and longitude -30..0 -> i <= 25; battery < 0.5 -> i < 20.
    expect(pages.flat()).toEqual(Array.from({ length: 15 }, (_, k) => id(k + 5)));
    expect(pages.length).toBe(4);
  });

  it('a box across the antimeridian', async () => {
    // longitude >= 179 or <= -35: only drones 35..39 (longitudes -35..-39); drone 0 is at 0.
    const pages = await allPages({ pageSize: 100, bbox: { west: 179, south: -90, east: -35, north: 90 } });
    expect(pages.flat()).toEqual(Array.from({ length: 5 }, (_, k) => id(35 + k)));
  });

  it('get: found with its ETag, not-modified for the current tag, found again after a write, not-found for unknown ids', async () => {
    const first = await reader.get(id(3));
    expect(first).toMatchObject({ kind: 'found', device: { deviceId: id(3), battery: 3 / 40, position: { latitude: 3 } }, etag: expect.stringMatching(/^".+"$/) });
    if (first.kind !== 'found') throw new Error('unreachable');
    expect(first.device).not.toHaveProperty('_etag');
    expect(await reader.get(id(3), [first.etag])).toEqual({ kind: 'not-modified', etag: first.etag });
    expect(await reader.get(id(3), ['"stale"', first.etag])).toEqual({ kind: 'not-modified', etag: first.etag });

    await container.items.upsert(deviceDoc(id(3), { battery: 0.01 }));
    const changed = await reader.get(id(3), [first.etag]);
    expect(changed).toMatchObject({ kind: 'found', device: { battery: 0.01 } });
    expect(changed.kind === 'found' && changed.etag).not.toBe(first.etag);

    expect(await reader.get('no-such-drone')).toEqual({ kind: 'not-found' });
  });

  it('count', async () => {
    expect(await reader.count()).toBe(40);
  });

  it('Cosmos down: a retryable STORE_* PipelineError, and reads work again when it is back', async () => {
    proxy.setMode({ kind: 'down' });
    try {
      const error = await reader.list({ pageSize: 5 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PipelineError);
      expect(error).toMatchObject({ code: expect.stringMatching(/^STORE_(UNAVAILABLE|TIMEOUT)$/), retryable: true });
    } finally {
      proxy.setMode({ kind: 'pass' });
    }
    expect((await reader.list({ pageSize: 5 })).devices).toHaveLength(5);
  });
});
