import { parseConfig } from '@telemetry/core';
import * as z from '@telemetry/core/zod';
import { cosmosSettingsShape, storeRetryOrder, storeSettingsShape } from '@telemetry/azure-cosmos';
import { observabilitySettingsSchema } from '@telemetry/observability';
import { INGESTION_WINDOW_MAX_SECONDS, resourceNameSettings } from '@telemetry/contracts';
import { identitySourceSetting, maxClockSkewSecondsSetting, maxEventAgeSecondsSetting } from '@telemetry/device-state';
import { intSetting } from '@telemetry/function-app-kit';

/** The largest INGESTION_WINDOW_MAX_HELD_MB accepted: what keeps the instance's memory bound (host-json.spec.ts). */
export const INGESTION_WINDOW_MAX_HELD_MB_LIMIT = 256;

/**
 * Every app setting the ingestion app reads. The Bicep module must set each of them (a test
 * checks the drift both ways). Binding settings are read by the Functions host, not this code,
 * and are listed in BINDING_SETTINGS.
 */
export const ingestionSettingsSchema = z.object({
  ...cosmosSettingsShape,
  /** Queue for dead letters, on the DeadLetterStorage connection. */
  DEAD_LETTER_QUEUE: resourceNameSettings.DEAD_LETTER_QUEUE,
  /** Blob container for claim-checked dead letters. */
  CLAIM_CHECK_CONTAINER: resourceNameSettings.CLAIM_CHECK_CONTAINER,
  /** Dead-letter write attempts before the batch fails (and the trigger retries it). */
  DEAD_LETTER_MAX_ATTEMPTS: intSetting(5),
  ...storeSettingsShape({ maxAttempts: 4, retryBaseMs: 100, retryMaxMs: 2_000, callTimeoutMs: 5_000, concurrency: 32, cacheSize: 100_000 }),
  /** Table storage for the cross-instance failure window (FailureTracking connection). */
  FAILURE_TABLE: resourceNameSettings.FAILURE_TABLE,
  /** How far (s) a timestamp may be ahead of its Event Hubs enqueued time; further is EVENT_CLOCK_SKEW (docs/security.md). */
  MAX_CLOCK_SKEW_SECONDS: maxClockSkewSecondsSetting,
  /** How far (s) a timestamp may be behind its Event Hubs enqueued time; further is EVENT_CLOCK_SKEW (default 10 years; docs/security.md). */
  MAX_EVENT_AGE_SECONDS: maxEventAgeSecondsSetting,
  /**
   * Where a device's identity comes from: `body` (default; Event Hubs producers) or `iothub` (the
   * id IoT Hub authenticated; only a security boundary when the trigger reads IoT Hub's built-in
   * endpoint, which infra wires when deployIotHub is set). README "IoT Hub mode".
   */
  DEVICE_IDENTITY_SOURCE: identitySourceSetting,
  /**
   * The ingestion window (s, 0 to 60, default 0 = none): each device's events are held and written
   * once, this long after the first of them was enqueued (README "Ingestion window").
   */
  INGESTION_WINDOW_SECONDS: z._default(z.coerce.number().check(z.minimum(0), z.maximum(INGESTION_WINDOW_MAX_SECONDS)), 0),
  /** The window's memory bound (MB of held events): past it, an invocation waits for the writes. */
  INGESTION_WINDOW_MAX_HELD_MB: intSetting(64, 1, INGESTION_WINDOW_MAX_HELD_MB_LIMIT),
  /**
   * The consumer group the window reads the hub again on (a takeover after a crash); never the
   * trigger's, whose epoch receivers refuse a second reader. Read by writeBehindAdaptersFromSettings.
   */
  EventHubReaderConsumerGroup: z._default(z.string().check(z.minLength(1)), '$Default'),
  ...observabilitySettingsSchema.shape,
}).check(storeRetryOrder);

export type IngestionSettings = z.output<typeof ingestionSettingsSchema>;

/** Connection-style settings read through a prefix (`NAME` or `NAME__*`). */
export const CONNECTION_SETTINGS = ['DeadLetterStorage', 'FailureTracking'] as const;
/** Settings the Functions host resolves for the trigger binding. */
export const BINDING_SETTINGS = ['EventHubConnection', 'EventHubName', 'EventHubConsumerGroup', 'AzureWebJobsStorage'] as const;


export function loadIngestionSettings(env: Record<string, string | undefined> = process.env): IngestionSettings {
  return parseConfig(ingestionSettingsSchema, env);
}
