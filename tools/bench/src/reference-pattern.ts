import { CosmosClient, type Container } from '@azure/cosmos';
import { earliestEventPosition, EventHubConsumerClient, type ReceivedEventData } from '@azure/event-hubs';
import { waitUntil } from '@telemetry/local-services';
import { simulate } from '@telemetry/simulator';
import { storeOps, withStack } from './end-to-end';

export interface ReferencePatternResult {
  devices: number;
  seconds: number;
  events: number;
  storeReadsPerEvent: number;
  storeWritesPerEvent: number;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
}

interface Telemetry {
  deviceId: string;
  timestamp: string;
  [field: string]: unknown;
}

/**
 * The reference implementation's store pattern, run through the same bench: the same stack (the
 * Cosmos server behind the counting proxy), the same simulated reference load, but each event is
 * applied as one point read of the device's document and one upsert of it (ingestion is paused;
 * this consumer reads the hub instead). Events of one device are applied in order, devices in
 * parallel, as a per-event function would.
 */
export async function benchReferencePattern(options: { devices: number; seconds: number }): Promise<ReferencePatternResult> {
  return withStack(async (stack) => {
    const d = stack.descriptor;
    await stack.hosts.get('ingestion')!.admin.pause('ingestTelemetry');
    const container = new CosmosClient({ endpoint: d.cosmos.endpoint, key: d.cosmos.key, connectionPolicy: { enableEndpointDiscovery: false } })
      .database(d.cosmos.database).container(d.cosmos.container);
    const consumer = new EventHubConsumerClient(d.eventHubs.consumerGroup, d.eventHubs.connectionString, d.eventHubs.hubName);
    const latencies: number[] = [];
    let applied = 0;
    const subscription = consumer.subscribe({
      processEvents: async (events) => {
        const byDevice = new Map<string, ReceivedEventData[]>();
        for (const e of events) {
          const id = (JSON.parse(Buffer.from(e.body as Uint8Array).toString('utf8')) as Telemetry).deviceId;
          byDevice.set(id, [...(byDevice.get(id) ?? []), e]);
        }
        await Promise.all([...byDevice.values()].map(async (list) => {
          for (const e of list) {
            await readAndUpsert(container, JSON.parse(Buffer.from(e.body as Uint8Array).toString('utf8')) as Telemetry);
            latencies.push(Date.now() - e.enqueuedTimeUtc.getTime());
            applied++;
          }
        }));
      },
      processError: async () => undefined,
    }, { startPosition: earliestEventPosition, maxBatchSize: 100, maxWaitTimeInSeconds: 1, skipParsingBodyAsJson: true });
    try {
      stack.cosmosProxy.resetCounts();
      const sent = await simulate({
        connectionString: d.eventHubs.connectionString, hubName: d.eventHubs.hubName, devices: options.devices,
        count: options.devices * options.seconds, rate: options.devices, keyFrameEvery: 10, corruptRatio: 0, duplicateRatio: 0, seed: 5,
      });
      const events = sent.summary.sent;
      await waitUntil(async () => applied >= events, { timeoutMs: 600_000, intervalMs: 250, description: `the reference pattern to apply ${events} events` });
      const ops = storeOps(stack);
      latencies.sort((a, b) => a - b);
      const pct = (p: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)]! : null);
      return {
        devices: options.devices, seconds: options.seconds, events,
        storeReadsPerEvent: round(ops.reads / events), storeWritesPerEvent: round(ops.writes / events),
        latencyP50Ms: pct(0.5), latencyP99Ms: pct(0.99),
      };
    } finally {
      await subscription.close();
      await consumer.close();
    }
  });
}

/** One event: read the device's document (404 -> none), merge newer fields over it, upsert it whole. */
async function readAndUpsert(container: Container, t: Telemetry): Promise<void> {
  const { resource } = await container.item(t.deviceId, t.deviceId).read<Record<string, unknown>>();
  const current: Record<string, unknown> = { ...(resource ?? { id: t.deviceId, deviceId: t.deviceId }) };
  const newer = !current['lastEventTime'] || String(current['lastEventTime']) <= t.timestamp;
  for (const system of ['_rid', '_self', '_etag', '_attachments', '_ts']) delete current[system];
  await container.items.upsert(newer ? { ...current, ...t, id: t.deviceId, lastEventTime: t.timestamp } : current);
}

const round = (n: number): number => Math.round(n * 1000) / 1000;
