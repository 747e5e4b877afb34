import { DefaultAzureCredential } from '@azure/identity';
import { TableClient } from '@azure/data-tables';
import { ConfigError, jsonLogger, type Logger } from '@telemetry/core';
import { deviceStateStoreFromSettings } from '@telemetry/azure-cosmos';
import { connectStorage, storageConnectionFromSettings, StorageDeadLetterQueue } from '@telemetry/azure-storage-queue';
import { alwaysClosedBreaker, ReprocessorMetrics, type ReprocessorDeps } from '@telemetry/reprocessing';
import { HttpBreakerStatus } from '@telemetry/http-adapters';
import { TableParkingStore } from '@telemetry/azure-tables';
import type { QueueClient } from '@azure/storage-queue';
import { createTelemetryMetrics, type TelemetryMetrics } from '@telemetry/observability';
import { loadReprocessorSettings } from './config';

export interface ReprocessorServices extends ReprocessorDeps {
  deadLetterQueue: QueueClient;
  poisonQueue: QueueClient;
  telemetry: TelemetryMetrics;
}

/** Flushes metrics on the way out (the app's terminate hook). */
export async function shutdownReprocessorServices(): Promise<void> {
  await services?.telemetry.shutdown();
}

let services: ReprocessorServices | undefined;

/** The composition root: settings parsed once, clients built once per instance. */
export function reprocessorServices(): ReprocessorServices {
  services ??= createReprocessorServices(process.env);
  return services;
}

function parkingTable(env: Record<string, string | undefined>, table: string, clientId?: string): TableClient {
  const connectionString = env['DeadLetterStorage'];
  // One try per call: the product's cockatiel policies own retries.
  const options = { retryOptions: { maxRetries: 0 } };
  if (connectionString) return TableClient.fromConnectionString(connectionString, table, { ...options, allowInsecureConnection: /^UseDevelopmentStorage|DefaultEndpointsProtocol=http;/.test(connectionString) });
  const uri = env['DeadLetterStorage__tableServiceUri'];
  if (!uri) throw new ConfigError(['DeadLetterStorage__tableServiceUri: required with identity-based DeadLetterStorage']);
  return new TableClient(uri, table, new DefaultAzureCredential({ managedIdentityClientId: clientId }), options);
}

export function createReprocessorServices(env: Record<string, string | undefined>, logger?: Logger): ReprocessorServices {
  const settings = loadReprocessorSettings(env);
  const storage = storageConnectionFromSettings('DeadLetterStorage', env);
  if (!storage) throw new ConfigError(['DeadLetterStorage: set a connection string or DeadLetterStorage__queueServiceUri, __blobServiceUri and __tableServiceUri']);
  const log = logger ?? jsonLogger((level, line) => (level === 'error' ? console.error(line) : level === 'warn' ? console.warn(line) : console.info(line)), { app: 'dead-letter-reprocessor' });
  const { queues, blobs } = connectStorage(storage);
  const claimChecks = blobs.getContainerClient(settings.CLAIM_CHECK_CONTAINER);
  const deadLetterQueue = queues.getQueueClient(settings.DEAD_LETTER_QUEUE);
  const telemetry = createTelemetryMetrics({ app: 'dead-letter-reprocessor', settings, logger: log });
  return {
    telemetry,
    store: deviceStateStoreFromSettings(settings),
    queue: new StorageDeadLetterQueue(deadLetterQueue, claimChecks),
    parking: new TableParkingStore(parkingTable(env, settings.PARKING_TABLE, settings.AZURE_CLIENT_ID), claimChecks),
    breaker: settings.BREAKER_STATUS_URL
      ? new HttpBreakerStatus({ url: settings.BREAKER_STATUS_URL, key: settings.BREAKER_STATUS_KEY, cacheMs: settings.BREAKER_STATUS_CACHE_MS, logger: log })
      : alwaysClosedBreaker,
    policy: {
      maxAttempts: settings.REPROCESS_MAX_ATTEMPTS,
      unknownMaxAttempts: settings.REPROCESS_UNKNOWN_MAX_ATTEMPTS,
      backoffBaseSeconds: settings.REPROCESS_BACKOFF_BASE_SECONDS,
      backoffMaxSeconds: settings.REPROCESS_BACKOFF_MAX_SECONDS,
      breakerDeferSeconds: settings.BREAKER_DEFER_SECONDS,
    },
    metrics: new ReprocessorMetrics(telemetry.metrics),
    logger: log,
    deadLetterQueue,
    poisonQueue: queues.getQueueClient(`${settings.DEAD_LETTER_QUEUE}-poison`),
  };
}
