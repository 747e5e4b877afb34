import { z } from 'zod';
import { parseConfig } from '@telemetry/core';
import { observabilitySettingsSchema } from '@telemetry/observability';
import { MIN_SIGNING_KEY_LENGTH, type BreakerPolicy } from '@telemetry/breaker-rules';

const int = (fallback: number, min = 1) => z.coerce.number().int().min(min).default(fallback);

/**
 * Every app setting the breaker app reads (the Bicep module must set each). Secrets:
 * APPROVAL_SIGNING_KEY, LOCAL_HOST_MASTER_KEY and BREAKER_WEBHOOK_URL are never logged.
 */
export const breakerSettingsSchema = z
  .object({
    /** Trip when MORE than this many failures fall in the window. */
    BREAKER_THRESHOLD: int(100, 0),
    BREAKER_WINDOW_SECONDS: int(30),
    /** auto-probe: wait this long after a trip before a half-open trial. */
    BREAKER_COOLDOWN_SECONDS: int(300),
    BREAKER_MODE: z.enum(['manual', 'auto-probe']).default('manual'),
    /** Half-open trial length, and the failures it tolerates (more re-opens the breaker). */
    BREAKER_PROBE_SECONDS: int(30),
    BREAKER_PROBE_THRESHOLD: int(10, 0),
    /** Life of an approval link; a fresh one is sent when it lapses (manual mode). */
    BREAKER_APPROVAL_TTL_SECONDS: int(3_600, 10),
    BREAKER_SWITCH: z.enum(['local-host', 'arm-function', 'arm-app']),
    INGESTION_FUNCTION_NAME: z.string().min(1).default('ingestTelemetry'),
    INGESTION_APP_NAME: z.string().min(1).optional(),
    INGESTION_RESOURCE_GROUP: z.string().min(1).optional(),
    AZURE_SUBSCRIPTION_ID: z.string().min(1).optional(),
    /** Local only: the ingestion host's base URL and master key (tools/local-host admin API). */
    LOCAL_HOST_ADMIN_URL: z.url().optional(),
    LOCAL_HOST_MASTER_KEY: z.string().min(1).optional(),
    /** Incoming webhook (Teams, Slack, Logic Apps). Without it notices are only logged, without the link. */
    BREAKER_WEBHOOK_URL: z.url().optional(),
    APPROVAL_SIGNING_KEY: z.string().min(MIN_SIGNING_KEY_LENGTH, `must be at least ${MIN_SIGNING_KEY_LENGTH} characters`),
    /** This app's public base URL (no /api), for the resume and status links. */
    PUBLIC_BASE_URL: z.url(),
    /** Table of the shared failure window, on the FailureTracking connection. */
    FAILURE_TABLE: z.string().min(3).default('failurewindow'),
    /** User-assigned managed identity client id (Azure only). */
    AZURE_CLIENT_ID: z.string().optional(),
    /** Set by App Service: the name of the app running this code. */
    WEBSITE_SITE_NAME: z.string().optional(),
  })
  .extend(observabilitySettingsSchema.shape)
  .superRefine((s, ctx) => {
    const need = (keys: (keyof typeof s)[], why: string) => {
      for (const key of keys) if (!s[key]) ctx.addIssue({ code: 'custom', path: [key], message: `required when ${why}` });
    };
    if (s.BREAKER_SWITCH === 'local-host') need(['LOCAL_HOST_ADMIN_URL', 'LOCAL_HOST_MASTER_KEY'], 'BREAKER_SWITCH=local-host');
    else need(['INGESTION_APP_NAME', 'INGESTION_RESOURCE_GROUP', 'AZURE_SUBSCRIPTION_ID'], `BREAKER_SWITCH=${s.BREAKER_SWITCH}`);
    if (s.BREAKER_SWITCH === 'arm-app' && s.WEBSITE_SITE_NAME && s.WEBSITE_SITE_NAME === s.INGESTION_APP_NAME) {
      ctx.addIssue({ code: 'custom', path: ['INGESTION_APP_NAME'], message: 'arm-app would stop the breaker app itself' });
    }
  });

export type BreakerSettings = z.output<typeof breakerSettingsSchema>;

/** Connection-style settings read through a prefix (`NAME` or `NAME__*`). */
export const CONNECTION_SETTINGS = ['FailureTracking'] as const;
/** Settings the Functions host resolves itself (Durable task hub storage). */
export const BINDING_SETTINGS = ['AzureWebJobsStorage'] as const;

export function loadBreakerSettings(env: Record<string, string | undefined> = process.env): BreakerSettings {
  return parseConfig(breakerSettingsSchema, env);
}

export function policyFrom(settings: BreakerSettings): BreakerPolicy {
  return {
    mode: settings.BREAKER_MODE,
    threshold: settings.BREAKER_THRESHOLD,
    windowMs: settings.BREAKER_WINDOW_SECONDS * 1_000,
    cooldownMs: settings.BREAKER_COOLDOWN_SECONDS * 1_000,
    approvalTtlMs: settings.BREAKER_APPROVAL_TTL_SECONDS * 1_000,
    probeMs: settings.BREAKER_PROBE_SECONDS * 1_000,
    probeThreshold: settings.BREAKER_PROBE_THRESHOLD,
  };
}
