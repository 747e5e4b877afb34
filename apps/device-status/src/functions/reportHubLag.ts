import { app, type InvocationContext, type Timer } from '@azure/functions';
import { toPipelineError } from '@telemetry/core';
import type { EventHubLag } from '@telemetry/contracts';
import { deviceStatusServices, type DeviceStatusServices } from '../services';

/**
 * Timer (every minute): records the ingestion consumer group's lag, the oldest unprocessed event's
 * age and the time to data loss per partition (issue 19). It runs in the status API app: it keeps
 * running while the breaker has paused ingestion (exactly when the figures matter), it already
 * holds the lag source and its read permissions, and the breaker's bundle stays free of the Event
 * Hubs SDK. A no-op without an Event Hubs connection (setting EventHubConnection). Returns what it
 * read (tests).
 */
export function createReportHubLag(services: () => DeviceStatusServices) {
  return async (): Promise<EventHubLag | undefined> => {
    const { ops, telemetry, logger } = services();
    const hubLag = ops.eventHub;
    if (!hubLag) return undefined;
    try {
      const lag = await hubLag.read();
      for (const p of lag.partitions) {
        const attributes = { partition: p.partitionId };
        telemetry.metrics.record('eventhubs.lag', p.lag, attributes);
        if (p.oldestUnprocessedAgeSeconds !== undefined) telemetry.metrics.record('eventhubs.oldest_unprocessed_age', p.oldestUnprocessedAgeSeconds, attributes);
        // Histograms take no negative value: events already past the retention record as 0 (the alert fires either way).
        if (typeof p.timeToDataLossSeconds === 'number') telemetry.metrics.record('eventhubs.time_to_data_loss', Math.max(0, p.timeToDataLossSeconds), attributes);
      }
      return lag;
    } catch (error) {
      logger.warn('hub lag read failed', { errorCode: toPipelineError(error).code });
      return undefined;
    }
  };
}

const report = createReportHubLag(deviceStatusServices);

app.timer('reportHubLag', {
  schedule: '0 * * * * *',
  handler: async (_timer: Timer, _context: InvocationContext) => {
    await report();
  },
});
