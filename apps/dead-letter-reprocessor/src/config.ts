import { observabilitySettingsSchema } from '@telemetry/observability';
import { parseConfig } from '@telemetry/core';
import * as z from '@telemetry/core/zod';
import { resourceNameSettings } from '@telemetry/contracts';
import { maxClockSkewSecondsSetting, maxEventAgeSecondsSetting } from '@telemetry/device-state';
import { intSetting, serviceUrlSetting } from '@telemetry/function-app-kit';
import { cosmosSettingsShape, storeRetryOrder, storeSettingsShape } from '@telemetry/azure-cosmos';

/**
 * Every app setting the dead-letter reprocessor reads. Binding settings are read by the Functions
 * host (BINDING_SETTINGS); the storage connection by prefix (CONNECTION_SETTINGS).
 */
export const reprocessorSettingsSchema = z.object({
  ...cosmosSettingsShape,
  /** The dead-letter queue (trigger) on the DeadLetterStorage connection; `<queue>-poison` is drained too. */
  DEAD_LETTER_QUEUE: resourceNameSettings.DEAD_LETTER_QUEUE,
  /** Claim-checked dead letters (written by ingestion); big parked letters go under `parked/`. */
  CLAIM_CHECK_CONTAINER: resourceNameSettings.CLAIM_CHECK_CONTAINER,
  /** Table of parked letters (PartitionKey = issue code, RowKey = dead-letter id). */
  PARKING_TABLE: resourceNameSettings.PARKING_TABLE,
  /** Store attempts within one reprocessing attempt (cockatiel, as ingestion). */
  ...storeSettingsShape({ maxAttempts: 3, retryBaseMs: 200, retryMaxMs: 2_000, callTimeoutMs: 5_000, concurrency: 4, cacheSize: 10_000 }),
  /** Reprocessing attempts for retryable codes before a letter is parked. */
  REPROCESS_MAX_ATTEMPTS: intSetting(8),
  /** Reprocessing attempts for unknown codes before a letter is parked. */
  REPROCESS_UNKNOWN_MAX_ATTEMPTS: intSetting(3),
  /** First retry delay (s), doubling per attempt up to the max (s): 30 s .. 1 h spans ~2 h over 8 attempts. */
  REPROCESS_BACKOFF_BASE_SECONDS: intSetting(30),
  REPROCESS_BACKOFF_MAX_SECONDS: intSetting(3_600),
  /** The circuit breaker's status endpoint (apps/circuit-breaker GET /api/breaker); unset = always closed. */
  BREAKER_STATUS_URL: z.optional(serviceUrlSetting()),
  /** Function key for BREAKER_STATUS_URL. */
  BREAKER_STATUS_KEY: z.optional(z.string().check(z.minLength(1))),
  /** How long to leave letters while the breaker is open, when it names no time (s). */
  BREAKER_DEFER_SECONDS: intSetting(60),
  /** How long one breaker answer is reused (ms). */
  BREAKER_STATUS_CACHE_MS: intSetting(5_000, 0),
  /** Ingestion's device-clock rule, applied again against each letter's own enqueued time (docs/security.md). */
  MAX_CLOCK_SKEW_SECONDS: maxClockSkewSecondsSetting,
  /** How far (s) a timestamp may be behind its Event Hubs enqueued time; further is EVENT_CLOCK_SKEW (default 10 years; docs/security.md). */
  MAX_EVENT_AGE_SECONDS: maxEventAgeSecondsSetting,
  ...observabilitySettingsSchema.shape,
}).check(storeRetryOrder);

export type ReprocessorSettings = z.output<typeof reprocessorSettingsSchema>;

/** Connection-style settings read through a prefix (`NAME`, or `NAME__queueServiceUri/__blobServiceUri/__tableServiceUri`). */
export const CONNECTION_SETTINGS = ['DeadLetterStorage'] as const;
/** Settings the Functions host resolves for the trigger bindings. */
export const BINDING_SETTINGS = ['DEAD_LETTER_QUEUE', 'AzureWebJobsStorage'] as const;

/** host.json `extensions.queues.maxDequeueCount` (a test keeps them equal): tries before `<queue>-poison`. */
export const HOST_MAX_DEQUEUE_COUNT = 5;

export function loadReprocessorSettings(env: Record<string, string | undefined> = process.env): ReprocessorSettings {
  return parseConfig(reprocessorSettingsSchema, env);
}
