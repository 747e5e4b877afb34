import { z } from 'zod';
import { parseConfig } from '@telemetry/core';
import { resourceNameSettings } from '@telemetry/contracts';
import { intSetting, optionalSetting } from '@telemetry/function-app-kit';
import { observabilitySettingsSchema } from '@telemetry/observability';
import { MIN_SIGNING_KEY_LENGTH, type BreakerPolicy } from '@telemetry/breaker-rules';

/**
 * Every app setting the breaker app reads (the Bicep module must set each). Secrets:
 * APPROVAL_SIGNING_KEY, INGESTION_SWITCH_KEY, BREAKER_WEBHOOK_URL and SMTP_PASSWORD are never logged.
 */
export const breakerSettingsSchema = z
  .object({
    /** Trip when MORE than this many failures fall in the window. */
    BREAKER_THRESHOLD: intSetting(100, 0),
    BREAKER_WINDOW_SECONDS: intSetting(30),
    /** auto-probe: wait this long after a trip before a half-open trial. */
    BREAKER_COOLDOWN_SECONDS: intSetting(300),
    BREAKER_MODE: z.enum(['manual', 'auto-probe']).default('manual'),
    /** Half-open trial length, and the failures it tolerates (more re-opens the breaker). */
    BREAKER_PROBE_SECONDS: intSetting(30),
    BREAKER_PROBE_THRESHOLD: intSetting(10, 0),
    /** Life of an approval link; a fresh one is sent when it lapses (manual mode). */
    BREAKER_APPROVAL_TTL_SECONDS: intSetting(3_600, 10),
    BREAKER_SWITCH: z.enum(['http', 'arm-function', 'arm-app']),
    INGESTION_FUNCTION_NAME: z.string().min(1).default('ingestTelemetry'),
    INGESTION_APP_NAME: z.string().min(1).optional(),
    INGESTION_RESOURCE_GROUP: z.string().min(1).optional(),
    AZURE_SUBSCRIPTION_ID: z.string().min(1).optional(),
    /** `http` switch: the control endpoint (`POST <url>/<function>/pause|resume`) and its key (x-functions-key). */
    INGESTION_SWITCH_URL: z.url().optional(),
    INGESTION_SWITCH_KEY: z.string().min(1).optional(),
    /** Incoming webhook (Teams, Slack, Logic Apps): a second channel beside e-mail. */
    BREAKER_WEBHOOK_URL: z.url().optional(),
    /**
     * Operator e-mail: `acs` = Azure Communication Services Email with the managed identity (Azure),
     * `smtp` = any SMTP server via nodemailer (local stack: MailDev), `none` = no e-mail.
     */
    BREAKER_EMAIL_TRANSPORT: z.enum(['none', 'acs', 'smtp']).default('none'),
    /** Sender: for acs an address on a domain linked to the Communication Services resource. */
    BREAKER_EMAIL_FROM: optionalSetting(z.email()),
    /** Operators' addresses, comma-separated. */
    BREAKER_EMAIL_TO: optionalSetting(z.string().transform((v) => v.split(',').map((a) => a.trim()).filter(Boolean)).pipe(z.array(z.email()).min(1))),
    /** acs: the Communication Services endpoint (https://<name>.<geo>.communication.azure.com). */
    ACS_ENDPOINT: optionalSetting(z.url()),
    /** smtp: the server; SMTP_SECURE=true for TLS from the start (465), else STARTTLS when offered. */
    SMTP_HOST: optionalSetting(z.string().min(1)),
    SMTP_PORT: optionalSetting(z.coerce.number().int().min(1).max(65_535)),
    SMTP_SECURE: z.enum(['true', 'false']).default('false'),
    SMTP_USER: optionalSetting(z.string().min(1)),
    SMTP_PASSWORD: optionalSetting(z.string().min(1)),
    APPROVAL_SIGNING_KEY: z.string().min(MIN_SIGNING_KEY_LENGTH, `must be at least ${MIN_SIGNING_KEY_LENGTH} characters`),
    /** This app's public base URL (no /api), for the resume and status links. */
    PUBLIC_BASE_URL: z.url(),
    /** Table of the shared failure window, on the FailureTracking connection. */
    FAILURE_TABLE: resourceNameSettings.FAILURE_TABLE,
    /** User-assigned managed identity client id (Azure only). */
    AZURE_CLIENT_ID: z.string().optional(),
    /** Set by App Service: the name of the app running this code. */
    WEBSITE_SITE_NAME: z.string().optional(),
    /**
     * Set by App Service itself ("True") when App Service Authentication is on (infra: easy-auth.bicep).
     * Only then are the x-ms-client-principal* headers the platform's and not a client's.
     */
    WEBSITE_AUTH_ENABLED: z.string().optional(),
    /** Object ids (users or groups, comma-separated) who may approve a resume signed in, without the link. */
    BREAKER_OPERATORS: z.string().optional(),
  })
  .extend(observabilitySettingsSchema.shape)
  .superRefine((s, ctx) => {
    const need = (keys: (keyof typeof s)[], why: string) => {
      for (const key of keys) if (!s[key]) ctx.addIssue({ code: 'custom', path: [key], message: `required when ${why}` });
    };
    if (s.BREAKER_EMAIL_TRANSPORT !== 'none') need(['BREAKER_EMAIL_FROM', 'BREAKER_EMAIL_TO'], `BREAKER_EMAIL_TRANSPORT=${s.BREAKER_EMAIL_TRANSPORT}`);
    if (s.BREAKER_EMAIL_TRANSPORT === 'acs') need(['ACS_ENDPOINT'], 'BREAKER_EMAIL_TRANSPORT=acs');
    if (s.BREAKER_EMAIL_TRANSPORT === 'smtp') need(['SMTP_HOST', 'SMTP_PORT'], 'BREAKER_EMAIL_TRANSPORT=smtp');
    if (Boolean(s.SMTP_USER) !== Boolean(s.SMTP_PASSWORD)) ctx.addIssue({ code: 'custom', path: ['SMTP_PASSWORD'], message: 'SMTP_USER and SMTP_PASSWORD go together' });
    if (s.BREAKER_SWITCH === 'http') need(['INGESTION_SWITCH_URL', 'INGESTION_SWITCH_KEY'], 'BREAKER_SWITCH=http');
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
