import { parseConfig } from '@telemetry/core';
import * as z from '@telemetry/core/zod';
import { resourceNameSettings } from '@telemetry/contracts';
import { cosmosSettingsShape } from '@telemetry/azure-cosmos';
import { intSetting, optionalSetting, serviceUrlSetting } from '@telemetry/function-app-kit';
import { observabilitySettingsSchema } from '@telemetry/observability';

/**
 * Every app setting the device-status app reads. Names shared with other apps (the COSMOS_*
 * settings, EventHubName, EventHubConsumerGroup, DEAD_LETTER_QUEUE, PARKING_TABLE) mean the same
 * there. Connection-style settings (read through a prefix)
 * are listed in CONNECTION_SETTINGS.
 */
export const deviceStatusSettingsSchema = z.object({
  ...cosmosSettingsShape,
  /** Cap on one read (SDK retries included), ms: past it the API answers 503. */
  COSMOS_CALL_TIMEOUT_MS: intSetting(3_000),
  /** The ingestion app's dead-letter queue (on DeadLetterStorage). */
  DEAD_LETTER_QUEUE: resourceNameSettings.DEAD_LETTER_QUEUE,
  /** Dead letters peeked for the by-code breakdown (the queue service allows at most 32). */
  DEAD_LETTER_SAMPLE: intSetting(32, 1, 32),
  /** The hub ingestion reads (also a binding setting of the ingestion app). */
  EventHubName: optionalSetting(z.string().check(z.minLength(1))),
  /** The ingestion trigger's consumer group (the same setting the ingestion app binds), whose checkpoints give the lag. */
  EventHubConsumerGroup: z._default(z.string().check(z.minLength(1)), '$Default'),
  /**
   * The hub's retention in hours (infra: messageRetentionInDays x 24), what time to data loss counts
   * down from; the SDK does not report it. Unset = 24. Read where the lag source is built
   * (libs/azure-event-hubs eventHubLagFromSettings); declared here so infra and examples must set it.
   */
  EVENT_HUB_RETENTION_HOURS: optionalSetting(z.coerce.number().check(z.positive())),
  /**
   * The reprocessor's parking table (same setting and default as the reprocessor), on
   * ParkedStorage else DeadLetterStorage. A table that does not exist counts as 0 parked.
   */
  PARKING_TABLE: resourceNameSettings.PARKING_TABLE,
  /**
   * The breaker app's anonymous summary, e.g. https://<breaker>.azurewebsites.net/api/breaker/summary;
   * unset = not shown. No key: device-status holds none of the breaker's keys (issue 13 item 6).
   */
  BREAKER_SUMMARY_URL: optionalSetting(serviceUrlSetting()),
  /** Deadline for each part of the ops summary, ms. */
  OPS_PROBE_TIMEOUT_MS: intSetting(4_000),
  ...observabilitySettingsSchema.shape,
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
