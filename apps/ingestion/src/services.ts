import { ConfigError, jsonLogger } from '@telemetry/core';
import { deviceStateStoreFromSettings } from '@telemetry/azure-cosmos';
import { connectStorage, QueueDeadLetterSink, storageConnectionFromSettings } from '@telemetry/azure-storage-queue';
import { CoalescingFailureRecorder } from '@telemetry/failure-tracking';
import { connectFailureTable, TableFailureCounter, tableConnectionFromSettings } from '@telemetry/azure-tables';
import type { IngestionDeps } from '@telemetry/ingestion-pipeline';
import { createTelemetryMetrics, type TelemetryMetrics } from '@telemetry/observability';
import { loadIngestionSettings } from './config';

let deps: IngestionDeps | undefined;
let telemetry: TelemetryMetrics | undefined;

/** Flushes metrics on the way out (registered as the app's terminate hook). */
export async function shutdownIngestionServices(): Promise<void> {
  await telemetry?.shutdown();
}

/**
 * The composition root: settings parsed once, clients built once per instance (they pool
 * connections), reused by every invocation.
 */
export function ingestionServices(): IngestionDeps {
  if (!deps) {
    const created = createIngestionServices(process.env);
    telemetry = created.telemetry;
    deps = created;
  }
  return deps;
}

export function createIngestionServices(
  env: Record<string, string | undefined>,
  overrides: Partial<Pick<IngestionDeps, 'logger'>> = {},
): IngestionDeps & { telemetry: TelemetryMetrics } {
  const settings = loadIngestionSettings(env);
  const storage = storageConnectionFromSettings('DeadLetterStorage', env);
  if (!storage) throw new ConfigError(['DeadLetterStorage: set a connection string or DeadLetterStorage__queueServiceUri and __blobServiceUri']);
  const { queues, blobs } = connectStorage(storage);
  // FailureTracking: connection string locally, FailureTracking__tableServiceUri + identity in Azure.
  // Without it the app still runs, but the circuit breaker cannot see this instance's failures.
  const failureTable = tableConnectionFromSettings('FailureTracking', env);
  const logger =
    overrides.logger ??
    jsonLogger((level, line) => (level === 'error' ? console.error(line) : level === 'warn' ? console.warn(line) : console.info(line)), { app: 'ingestion' });
  const telemetryMetrics = createTelemetryMetrics({ app: 'ingestion', settings, logger });
  return {
    app: 'ingestion',
    telemetry: telemetryMetrics,
    metrics: telemetryMetrics.metrics,
    store: deviceStateStoreFromSettings(settings),
    deadLetters: new QueueDeadLetterSink(queues.getQueueClient(settings.DEAD_LETTER_QUEUE), blobs.getContainerClient(settings.CLAIM_CHECK_CONTAINER), {
      // Dead letters are the last line: retry longer than store writes before failing the batch.
      retry: { maxAttempts: settings.DEAD_LETTER_MAX_ATTEMPTS, initialDelayMs: 200, maxDelayMs: 5_000 },
    }),
    failures: failureTable ? new CoalescingFailureRecorder(new TableFailureCounter(connectFailureTable(failureTable, settings.FAILURE_TABLE))) : undefined,
    logger,
  };
}
