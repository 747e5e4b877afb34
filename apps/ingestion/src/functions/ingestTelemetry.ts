import { app, type EventHubFunctionOptions, type InvocationContext } from '@azure/functions';
import { processBatch, type BatchReport, type IngestionDeps, type OrphanedWatermarks, type WriteBehind } from '@telemetry/ingestion-pipeline';
import { toSourceEvents } from '../event-hub-batch';
import { ingestionServices } from '../services';

export const INGEST_FUNCTION = 'ingestTelemetry';

/** The handler, apart from its registration: tests and the local host call exactly this. */
export function createIngestTelemetryHandler(deps: () => IngestionDeps & { writeBehind?: () => Promise<WriteBehind>; orphanedWatermarks?: () => Promise<OrphanedWatermarks> }) {
  return async (messages: unknown[], context: InvocationContext): Promise<BatchReport> => {
    const { events, source } = toSourceEvents(Array.isArray(messages) ? messages : [messages], context);
    const services = deps();
    const input = { events, source, invocationId: context.invocationId };
    // Ingestion window > 0: the events are held and written later (the write-behind's watermark, not the trigger's checkpoint, says what is stored).
    if (services.writeBehind) return (await services.writeBehind()).ingest(input);
    const orphans = services.orphanedWatermarks && (await services.orphanedWatermarks());
    await orphans?.settle(input);
    const report = await processBatch(input, services);
    await orphans?.written(input);
    return report;
  };
}

export const ingestTelemetry = createIngestTelemetryHandler(() => ingestionServices());

const options: EventHubFunctionOptions & { dataType: 'binary' } = {
  connection: 'EventHubConnection',
  eventHubName: '%EventHubName%',
  consumerGroup: '%EventHubConsumerGroup%',
  cardinality: 'many',
  // Raw bytes: the exact body goes into dead letters, and invalid UTF-8 is detected, not masked.
  dataType: 'binary',
  // Only a batch whose dead letters could not be written throws. Retrying forever (with backoff)
  // holds the checkpoint until storage is back: nothing is dropped. The breaker sees the failures.
  retry: { strategy: 'exponentialBackoff', maxRetryCount: -1, minimumInterval: 1_000, maximumInterval: 60_000 },
  handler: ingestTelemetry as EventHubFunctionOptions['handler'],
};
app.eventHub(INGEST_FUNCTION, options);
