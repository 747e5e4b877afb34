import { ConfigError, onFirstUse, type Logger } from '@telemetry/core';
import { deviceStateStoreFromSettings } from '@telemetry/azure-cosmos';
// The settings entry points import no SDK; the adapters themselves are imported on first use below.
import { storageConnectionFromSettings } from '@telemetry/azure-storage-queue/settings';
import { tableConnectionFromSettings } from '@telemetry/azure-tables/settings';
import { CoalescingFailureRecorder, type FailureCounter } from '@telemetry/failure-tracking';
import { consoleLogger, defineAppServices, type Env } from '@telemetry/function-app-kit';
import type { DeadLetterSink } from '@telemetry/dead-letter';
import { OrphanedWatermarks, WriteBehind, type IngestionDeps } from '@telemetry/ingestion-pipeline';
import { createTelemetryMetrics, type TelemetryMetrics } from '@telemetry/observability';
import { readerGroupProblem, writeBehindSettingsPresent } from '@telemetry/azure-event-hubs/settings';
import { loadIngestionSettings } from './config';

export type IngestionServices = IngestionDeps & {
  telemetry: TelemetryMetrics;
  /** Ingestion window > 0: the write-behind every invocation goes through (built on first use). */
  writeBehind?: () => Promise<WriteBehind>;
  /** Writes what the write-behind holds and closes its clients (host shutdown). */
  stopWriteBehind?: () => Promise<void>;
  /** Window 0: what a windowed holder that crashed left unwritten, settled before each partition's first batch. */
  orphanedWatermarks?: () => Promise<OrphanedWatermarks>;
};

/** The composition root: built at host start (registerAppHooks in main.ts), reused by every invocation. */
export const ingestionServices = defineAppServices({
  app: 'ingestion',
  create: (env, kit) => createIngestionServices(env, { logger: kit.logger }),
  stop: async (s) => {
    // First: the held writes land (or are dead-lettered) before the metrics' last export.
    await s.stopWriteBehind?.();
    await s.telemetry.shutdown();
  },
});

export function createIngestionServices(env: Env, overrides: Partial<Pick<IngestionDeps, 'logger'>> = {}): IngestionServices {
  const settings = loadIngestionSettings(env);
  const storage = storageConnectionFromSettings('DeadLetterStorage', env);
  if (!storage) throw new ConfigError(['DeadLetterStorage: set a connection string or DeadLetterStorage__queueServiceUri and __blobServiceUri']);
  // FailureTracking: connection string locally, FailureTracking__tableServiceUri + identity in Azure.
  // Without it the app still runs, but the circuit breaker cannot see this instance's failures.
  const failureTable = tableConnectionFromSettings('FailureTracking', env);
  const logger: Logger = overrides.logger ?? consoleLogger('ingestion');
  const telemetryMetrics = createTelemetryMetrics({ app: 'ingestion', settings, logger });
  // Only a batch with a bad event dead-letters (and reports failures): the storage and Tables SDKs
  // load then, so an ordinary event's cold start does not pay for them (settings are checked above).
  const deadLetterSink = onFirstUse(async () => {
    const { connectStorage, QueueDeadLetterSink } = await import('@telemetry/azure-storage-queue');
    const { queues, blobs } = connectStorage(storage);
    return new QueueDeadLetterSink(queues.getQueueClient(settings.DEAD_LETTER_QUEUE), blobs.getContainerClient(settings.CLAIM_CHECK_CONTAINER), {
      // Dead letters are the last line: retry longer than store writes before failing the batch.
      retry: { maxAttempts: settings.DEAD_LETTER_MAX_ATTEMPTS, initialDelayMs: 200, maxDelayMs: 5_000 },
    });
  });
  const failureCounter =
    failureTable &&
    onFirstUse(async (): Promise<FailureCounter> => {
      const { connectTable, TableFailureCounter } = await import('@telemetry/azure-tables');
      return new TableFailureCounter(connectTable(failureTable, settings.FAILURE_TABLE));
    });
  const deps: IngestionServices = {
    app: 'ingestion',
    telemetry: telemetryMetrics,
    metrics: telemetryMetrics.metrics,
    store: deviceStateStoreFromSettings(settings),
    deadLetters: { send: async (letters) => (await deadLetterSink()).send(letters) } satisfies DeadLetterSink,
    failures: failureCounter
      ? new CoalescingFailureRecorder({
          record: async (counts, at) => (await failureCounter()).record(counts, at),
          windowTotal: async (windowMs, options) => (await failureCounter()).windowTotal(windowMs, options),
        })
      : undefined,
    logger,
    maxClockSkewSeconds: settings.MAX_CLOCK_SKEW_SECONDS,
    maxEventAgeSeconds: settings.MAX_EVENT_AGE_SECONDS,
    identitySource: settings.DEVICE_IDENTITY_SOURCE,
  };
  let adapters: { close(): Promise<void> } | undefined;
  const adaptersOnce = onFirstUse(async () => {
    const { writeBehindAdaptersFromSettings } = await import('@telemetry/azure-event-hubs');
    return (adapters = writeBehindAdaptersFromSettings(env, logger));
  });
  if (settings.INGESTION_WINDOW_SECONDS === 0 && writeBehindSettingsPresent(env)) {
    let orphans: OrphanedWatermarks | undefined;
    deps.orphanedWatermarks = onFirstUse(async () => (orphans = new OrphanedWatermarks(deps, await adaptersOnce())));
    deps.stopWriteBehind = async () => {
      await orphans?.stop();
      await adapters?.close();
    };
  }
  if (settings.INGESTION_WINDOW_SECONDS > 0) {
    // Refused at start, not on every batch: the window could not read the hub again after a crash.
    const problem = readerGroupProblem(env);
    if (problem) throw new ConfigError([problem]);
    let built: { writeBehind: WriteBehind; close(): Promise<void> } | undefined;
    // The Event Hubs and Blob SDKs load with the first batch, as the dead-letter sink's do.
    deps.writeBehind = onFirstUse(async () => {
      const ports = await adaptersOnce();
      const writeBehind = new WriteBehind(deps, {
        holdMs: settings.INGESTION_WINDOW_SECONDS * 1000,
        watermarks: ports.watermarks,
        replay: ports.replay,
        maxHeldBytes: settings.INGESTION_WINDOW_MAX_HELD_MB * 1024 * 1024,
      }).start();
      built = { writeBehind, close: ports.close };
      return writeBehind;
    });
    deps.stopWriteBehind = async () => {
      if (!built) return;
      await built.writeBehind.stop();
      await built.close();
    };
  }
  return deps;
}
