import { z } from 'zod';
import { parseConfig } from '@telemetry/core';
import { observabilitySettingsSchema } from '@telemetry/observability';

const int = (fallback: number, min = 1) => z.coerce.number().int().min(min).default(fallback);

/**
 * Every app setting the ingestion app reads. The Bicep module must set each of them (a test
 * checks the drift both ways). Binding settings are read by the Functions host, not this code,
 * and are listed in BINDING_SETTINGS.
 */
export const ingestionSettingsSchema = z.object({
  /** Cosmos DB account endpoint. */
  COSMOS_ENDPOINT: z.url(),
  /** Local emulator only; in Azure the managed identity is used. */
  COSMOS_KEY: z.string().min(1).optional(),
  COSMOS_DATABASE: z.string().min(1).default('telemetry'),
  COSMOS_CONTAINER: z.string().min(1).default('devices'),
  COSMOS_REQUEST_TIMEOUT_MS: int(5_000),
  /** Queue for dead letters, on the DeadLetterStorage connection. */
  DEAD_LETTER_QUEUE: z.string().min(3).default('telemetry-deadletter'),
  /** Blob container for claim-checked dead letters. */
  CLAIM_CHECK_CONTAINER: z.string().min(3).default('telemetry-deadletter-bodies'),
  /** Dead-letter write attempts before the batch fails (and the trigger retries it). */
  DEAD_LETTER_MAX_ATTEMPTS: int(5),
  /** Store attempts per device per batch (first try included). */
  STORE_MAX_ATTEMPTS: int(4),
  STORE_RETRY_BASE_MS: int(100),
  STORE_RETRY_MAX_MS: int(2_000),
  /** Cap on one store call (ms); the SDK's own reconnect retries can otherwise take ~10 s. */
  STORE_CALL_TIMEOUT_MS: int(5_000),
  /** Devices written in parallel. */
  STORE_CONCURRENCY: int(32),
  /** Devices whose ETag + state each instance remembers (about 1 KB each). */
  STORE_CACHE_SIZE: int(100_000),
  /** Table storage for the cross-instance failure window (FailureTracking connection). */
  FAILURE_TABLE: z.string().min(3).default('failurewindow'),
  /** User-assigned managed identity client id (Azure only). */
  AZURE_CLIENT_ID: z.string().optional(),
}).extend(observabilitySettingsSchema.shape);

export type IngestionSettings = z.output<typeof ingestionSettingsSchema>;

/** Connection-style settings read through a prefix (`NAME` or `NAME__*`). */
export const CONNECTION_SETTINGS = ['DeadLetterStorage', 'FailureTracking'] as const;
/** Settings the Functions host resolves for the trigger binding. */
export const BINDING_SETTINGS = ['EventHubConnection', 'EventHubName', 'EventHubConsumerGroup', 'AzureWebJobsStorage'] as const;

export function loadIngestionSettings(env: Record<string, string | undefined> = process.env): IngestionSettings {
  return parseConfig(ingestionSettingsSchema, env);
}
