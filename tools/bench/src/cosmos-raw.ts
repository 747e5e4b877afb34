import { CosmosClient } from '@azure/cosmos';
import { bulkhead } from 'cockatiel';
import { ensureDeviceStateContainer } from '@telemetry/provisioning';
import { startCosmosServer } from '@telemetry/local-services';

/**
 * The Cosmos server's raw per-event upsert rate: one upsert per event, the naive ingestion
 * design, at the same client concurrency the ingestion app uses (32). The baseline for ratios.
 */
export async function benchCosmosRawUpserts(options: { events: number; devices: number; concurrency: number }): Promise<{ upsertsPerSecond: number }> {
  const server = await startCosmosServer();
  try {
    const client = new CosmosClient({ endpoint: server.endpoint, key: server.key, connectionPolicy: { enableEndpointDiscovery: false } });
    const container = await ensureDeviceStateContainer(client, 'bench', 'devices');
    const limiter = bulkhead(options.concurrency, Number.POSITIVE_INFINITY);
    const upsert = (i: number) => {
      const id = `drone-${String(i % options.devices).padStart(5, '0')}`;
      return container.items.upsert({ id, deviceId: id, battery: (i % 100) / 100, lastEventTime: new Date(i).toISOString() });
    };
    await Promise.all(Array.from({ length: 500 }, (_, i) => limiter.execute(() => upsert(i)))); // warm-up
    const started = Date.now();
    await Promise.all(Array.from({ length: options.events }, (_, i) => limiter.execute(() => upsert(i))));
    return { upsertsPerSecond: Math.round((options.events / (Date.now() - started)) * 1000) };
  } finally {
    await server.stop();
  }
}
