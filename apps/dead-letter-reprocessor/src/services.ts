import type { QueueClient } from '@azure/storage-queue';
import { deviceStateStoreFromSettings } from '@telemetry/azure-cosmos';
import { connectStorage, storageConnectionFromSettings, StorageDeadLetterQueue } from '@telemetry/azure-storage-queue';
import { connectTable, TableParkingStore, tableConnectionFromSettings } from '@telemetry/azure-tables';
import { letterQueueNames } from '@telemetry/contracts';
import { ConfigError, type Logger, type RetryOptions } from '@telemetry/core';
import { consoleLogger, defineAppServices, type Env } from '@telemetry/function-app-kit';
import { HttpBreakerStatus } from '@telemetry/http-adapters';
import { createTelemetryMetrics, type TelemetryMetrics } from '@telemetry/observability';
import { alwaysClosedBreaker, ReprocessorMetrics, type ReprocessorDeps } from '@telemetry/reprocessing';
import { loadReprocessorSettings } from './config';

export interface ReprocessorServices extends ReprocessorDeps {
  deadLetterQueue: QueueClient;
  poisonQueue: QueueClient;
  /** `<queue>-poison-poison`: drained by the rehomePoisonCopies timer. */
  poisonPoisonQueue: QueueClient;
  telemetry: TelemetryMetrics;
}

/**
 * Retries of the reprocessor's own storage calls (parking table, claim checks, re-enqueue). They
 * go to the account its trigger queue lives in: when they fail for an outage of that account, the
 * host's release of the message fails too, and the message waits out the rest of its 10-minute
 * lease (the Functions host's QueueProcessor tries a release once, with its client's few retries).
 * So the invocation rides the outage out (16 tries, backoff from 0.5 s doubling to 8 s with full
 * jitter: about 50 s of waiting), and ends once the account answers again, when the host's delete
 * succeeds. Behind a black hole each try ends at the call timeout (10 s): 16 tries stay inside
 * host.json functionTimeout (5 minutes).
 */
export const STORAGE_RIDE_OUT: RetryOptions = { maxAttempts: 16, initialDelayMs: 500, maxDelayMs: 8_000 };

/** The composition root: built at host start (registerAppHooks in main.ts), reused by every invocation. */
export const reprocessorServices = defineAppServices({
  app: 'dead-letter-reprocessor',
  create: (env, kit) => createReprocessorServices(env, kit.logger),
  stop: (s) => s.telemetry.shutdown(),
});

export function createReprocessorServices(env: Env, logger?: Logger): ReprocessorServices {
  const settings = loadReprocessorSettings(env);
  const storage = storageConnectionFromSettings('DeadLetterStorage', env);
  if (!storage) throw new ConfigError(['DeadLetterStorage: set a connection string or DeadLetterStorage__queueServiceUri, __blobServiceUri and __tableServiceUri']);
  // The parking table shares the DeadLetterStorage account (its __tableServiceUri with identity).
  const parking = tableConnectionFromSettings('DeadLetterStorage', env);
  if (!parking) throw new ConfigError(['DeadLetterStorage__tableServiceUri: required with identity-based DeadLetterStorage']);
  const log = logger ?? consoleLogger('dead-letter-reprocessor');
  const { queues, blobs } = connectStorage(storage);
  const claimChecks = blobs.getContainerClient(settings.CLAIM_CHECK_CONTAINER);
  const deadLetterQueue = queues.getQueueClient(settings.DEAD_LETTER_QUEUE);
  const telemetry = createTelemetryMetrics({ app: 'dead-letter-reprocessor', settings, logger: log });
  return {
    telemetry,
    store: deviceStateStoreFromSettings(settings),
    queue: new StorageDeadLetterQueue(deadLetterQueue, claimChecks, STORAGE_RIDE_OUT),
    parking: new TableParkingStore(connectTable(parking, settings.PARKING_TABLE), claimChecks, STORAGE_RIDE_OUT),
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
    maxClockSkewSeconds: settings.MAX_CLOCK_SKEW_SECONDS,
    maxEventAgeSeconds: settings.MAX_EVENT_AGE_SECONDS,
    deadLetterQueue,
    poisonQueue: queues.getQueueClient(letterQueueNames(settings.DEAD_LETTER_QUEUE).poison),
    poisonPoisonQueue: queues.getQueueClient(letterQueueNames(settings.DEAD_LETTER_QUEUE).poisonPoison),
  };
}
