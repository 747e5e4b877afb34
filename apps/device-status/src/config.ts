import { z } from 'zod';
import { parseConfig } from '@telemetry/core';

const int = (fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max).default(fallback);
/** Optional settings are often present but empty in app settings: treat '' as unset. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/**
 * Every app setting the device-status app reads. Names shared with other apps (EventHubName,
 * EventHubConsumerGroup, DEAD_LETTER_QUEUE, PARKING_TABLE, BREAKER_STATUS_URL/KEY) mean the same there. Connection-style settings (read through a
 * prefix) are listed in CONNECTION_SETTINGS.
 */
export const deviceStatusSettingsSchema = z.object({
  COSMOS_ENDPOINT: z.url(),
  /** Local emulator only; in Azure the managed identity is used. */
  COSMOS_KEY: optional(z.string().min(1)),
  COSMOS_DATABASE: z.string().min(1).default('telemetry'),
  COSMOS_CONTAINER: z.string().min(1).default('devices'),
  COSMOS_REQUEST_TIMEOUT_MS: int(5_000),
  /** Cap on one read (SDK retries included), ms: past it the API answers 503. */
  COSMOS_CALL_TIMEOUT_MS: int(3_000),
  /** The ingestion app's dead-letter queue (on DeadLetterStorage). */
  DEAD_LETTER_QUEUE: z.string().min(3).default('telemetry-deadletter'),
  /** Dead letters peeked for the by-code breakdown (the queue service allows at most 32). */
  DEAD_LETTER_SAMPLE: int(32, 1, 32),
  /** The hub ingestion reads (also a binding setting of the ingestion app). */
  EventHubName: optional(z.string().min(1)),
  /** The ingestion trigger's consumer group (the same setting the ingestion app binds), whose checkpoints give the lag. */
  EventHubConsumerGroup: z.string().min(1).default('$Default'),
  /**
   * The reprocessor's parking table (same setting and default as the reprocessor), on
   * ParkedStorage else DeadLetterStorage. A table that does not exist counts as 0 parked.
   */
  PARKING_TABLE: z.string().min(3).default('deadletterparking'),
  /** The breaker app's status endpoint, e.g. https://<breaker>.azurewebsites.net/api/breaker; unset = not shown. */
  BREAKER_STATUS_URL: optional(z.url()),
  /** Function key for BREAKER_STATUS_URL (a Key Vault reference in Azure). */
  BREAKER_STATUS_KEY: optional(z.string().min(1)),
  /** Deadline for each part of the ops summary, ms. */
  OPS_PROBE_TIMEOUT_MS: int(4_000),
  AZURE_CLIENT_ID: optional(z.string()),
});

export type DeviceStatusSettings = z.output<typeof deviceStatusSettingsSchema>;

/**
 * Connection-style settings: `NAME` (connection string, local) or `NAME__*` (identity, Azure).
 * IngestionCheckpointStorage falls back to AzureWebJobsStorage (apps sharing one account);
 * ParkedStorage falls back to DeadLetterStorage.
 */
export const CONNECTION_SETTINGS = ['DeadLetterStorage', 'EventHubConnection', 'IngestionCheckpointStorage', 'ParkedStorage', 'AzureWebJobsStorage'] as const;

export function loadDeviceStatusSettings(env: Record<string, string | undefined> = process.env): DeviceStatusSettings {
  return parseConfig(deviceStatusSettingsSchema, env);
}
