import { readFileSync } from 'node:fs';
import path from 'node:path';
import { INGESTION_WINDOW_MAX_HELD_MB_LIMIT, loadIngestionSettings } from './config';

/** The one setting the ingestion app cannot do without. */
const required = { COSMOS_ENDPOINT: 'https://cosmos.example/' };

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

describe('the ingestion window (a write-behind with a bound on what it holds) keeps the same memory bound', () => {
  it('a batch of maximum-size events, the prefetch behind it and the most the write-behind may hold fit with 25% headroom', () => {
    const { maxEventBatchSize, prefetchCount } = hostJson.extensions.eventHubs;
    const eventsMb = MAX_EVENT_MB * (COPIES_PER_BATCH_EVENT * maxEventBatchSize + prefetchCount);
    expect(RUNTIME_MB + eventsMb + INGESTION_WINDOW_MAX_HELD_MB_LIMIT).toBeLessThanOrEqual(INSTANCE_MB * 0.75);
    // The default and the limit are what the settings accept.
    expect(loadIngestionSettings(required).INGESTION_WINDOW_MAX_HELD_MB).toBe(64);
    expect(() => loadIngestionSettings({ ...required, INGESTION_WINDOW_MAX_HELD_MB: String(INGESTION_WINDOW_MAX_HELD_MB_LIMIT + 1) })).toThrow(/INGESTION_WINDOW_MAX_HELD_MB/);
  });
});
