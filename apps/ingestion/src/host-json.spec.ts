import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ingestionWindowHostJson, INGESTION_WINDOW_MAX_SECONDS } from '@telemetry/contracts';

const hostJson = JSON.parse(readFileSync(path.join(__dirname, '..', 'host.json'), 'utf8')) as {
  extensions: { eventHubs: { maxEventBatchSize: number; prefetchCount: number } };
};

/** Flex Consumption instance memory of the ingestion app (infra/modules/function-app.bicep `instanceMemoryMB`). */
const INSTANCE_MB = 2048;
/** Largest event Event Hubs Standard accepts: the count-based batch settings must assume it. */
const MAX_EVENT_MB = 1;
/** The Functions host (.NET, Event Hubs extension) and the Node worker before any event: generous. */
const RUNTIME_MB = 512;
/**
 * Copies of each event of the batch being dispatched in Azure: the host's EventData, the gRPC
 * InvocationRequest it serialises, the worker's received message, and the Buffer.from copy the
 * @azure/functions library makes of each collectionBytes element (fromRpcTypedData).
 */
const COPIES_PER_BATCH_EVENT = 4;

describe('apps/ingestion/host.json Event Hubs sizing', () => {
  it('a batch of maximum-size events, with the prefetch behind it, fits one partition in the instance with 25% headroom', () => {
    const { maxEventBatchSize, prefetchCount } = hostJson.extensions.eventHubs;
    const eventsMb = MAX_EVENT_MB * (COPIES_PER_BATCH_EVENT * maxEventBatchSize + prefetchCount);
    expect(RUNTIME_MB + eventsMb).toBeLessThanOrEqual(INSTANCE_MB * 0.75);
    // Prefetch at least one batch ahead, or each batch waits for a service round trip.
    expect(prefetchCount).toBeGreaterThanOrEqual(maxEventBatchSize);
  });
});

describe('the ingestion window (maxWaitTime with a count-bounded batch) keeps the same memory bound', () => {
  it.each([1, 5, INGESTION_WINDOW_MAX_SECONDS])('window %d s: a full windowed batch of maximum-size events, with the prefetch behind it, fits', (seconds) => {
    const { prefetchCount } = hostJson.extensions.eventHubs;
    const windowed = ingestionWindowHostJson(seconds)!;
    // Dispatched at a full batch; a receive brings up to maxEventBatchSize, so while one batch is
    // dispatched up to one batch less an event stays cached (PartitionProcessorEventsManager).
    expect(windowed.minEventBatchSize).toBe(windowed.maxEventBatchSize);
    const cached = windowed.maxEventBatchSize - 1;
    expect(RUNTIME_MB + MAX_EVENT_MB * (COPIES_PER_BATCH_EVENT * windowed.maxEventBatchSize + cached + prefetchCount)).toBeLessThanOrEqual(INSTANCE_MB * 0.75);
    expect(prefetchCount).toBeGreaterThanOrEqual(windowed.maxEventBatchSize);
  });
});
