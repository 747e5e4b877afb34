import { parseConfig } from '@telemetry/core';
import * as z from '@telemetry/core/zod';
import { resourceNameSettings } from '@telemetry/contracts';
import { intSetting, optionalSetting, serviceUrlSetting } from '@telemetry/function-app-kit';
import { observabilitySettingsSchema } from '@telemetry/observability';
import { MIN_SIGNING_KEY_LENGTH, type BreakerPolicy } from '@telemetry/breaker-rules';

const nonEmpty = z.string().check(z.minLength(1));
const commaSeparated = (v: string): string[] => v.split(',').map((a) => a.trim()).filter(Boolean);

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
    BREAKER_MODE: z._default(z.enum(['manual', 'auto-probe']), 'manual'),
    /** Half-open trial length, and the failures it tolerates (more re-opens the breaker). */
    BREAKER_PROBE_SECONDS: intSetting(30),
    BREAKER_PROBE_THRESHOLD: intSetting(10, 0),
    /** Life of an approval link; a fresh one is sent when it lapses (manual mode). */
    BREAKER_APPROVAL_TTL_SECONDS: intSetting(3_600, 10),
    BREAKER_SWITCH: z.enum(['http', 'arm-function', 'arm-app']),
    INGESTION_FUNCTION_NAME: z._default(nonEmpty, 'ingestTelemetry'),
    INGESTION_APP_NAME: z.optional(nonEmpty),
    INGESTION_RESOURCE_GROUP: z.optional(nonEmpty),
    AZURE_SUBSCRIPTION_ID: z.optional(nonEmpty),
    /** `http` switch: the control endpoint (`POST <url>/<function>/pause|resume`) and its key (x-functions-key). */
    INGESTION_SWITCH_URL: z.optional(serviceUrlSetting()),
    INGESTION_SWITCH_KEY: z.optional(nonEmpty),
    /** Incoming webhook (Teams, Slack, Logic Apps): a second channel beside e-mail. */
    BREAKER_WEBHOOK_URL: z.optional(serviceUrlSetting()),
    /**
     * Operator e-mail: `acs` = Azure Communication Services Email with the managed identity (Azure),
     * `smtp` = any SMTP server via nodemailer (local stack: MailDev), `none` = no e-mail.
     */
    BREAKER_EMAIL_TRANSPORT: z._default(z.enum(['none', 'acs', 'smtp']), 'none'),
    /** Sender: for acs an address on a domain linked to the Communication Services resource. */
    BREAKER_EMAIL_FROM: optionalSetting(z.email()),
    /** Operators' addresses, comma-separated. */
    BREAKER_EMAIL_TO: optionalSetting(z.pipe(z.pipe(z.string(), z.transform(commaSeparated)), z.array(z.email()).check(z.minLength(1)))),
    /** acs: the Communication Services endpoint (https://<name>.<geo>.communication.azure.com). */
    ACS_ENDPOINT: optionalSetting(serviceUrlSetting()),
    /** smtp: the server; SMTP_SECURE=true for TLS from the start (465), else STARTTLS when offered. */
    SMTP_HOST: optionalSetting(nonEmpty),
    SMTP_PORT: optionalSetting(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(65_535))),
    SMTP_SECURE: z._default(z.enum(['true', 'false']), 'false'),
    SMTP_USER: optionalSetting(nonEmpty),
    SMTP_PASSWORD: optionalSetting(nonEmpty),
    APPROVAL_SIGNING_KEY: z.string().check(z.minLength(MIN_SIGNING_KEY_LENGTH, `must be at least ${MIN_SIGNING_KEY_LENGTH} characters`)),
    /** This app's public base URL (no /api), for the resume and status links. */
    PUBLIC_BASE_URL: serviceUrlSetting(),
    /** Table of the shared failure window, on the FailureTracking connection. */
    FAILURE_TABLE: resourceNameSettings.FAILURE_TABLE,
    /** User-assigned managed identity client id (Azure only). */
    AZURE_CLIENT_ID: z.optional(z.string()),
    /** Set by App Service: the name of the app running this code. */
    WEBSITE_SITE_NAME: z.optional(z.string()),
    /**
     * Set by App Service itself ("True") when App Service Authentication is on (infra: easy-auth.bicep).
     * Only then are the x-ms-client-principal* headers the platform's and not a client's.
     */
    WEBSITE_AUTH_ENABLED: z.optional(z.string()),
    /** Object ids (users or groups, comma-separated) who may approve a resume signed in, without the link. */
    BREAKER_OPERATORS: z.optional(z.string()),
    ...observabilitySettingsSchema.shape,
  })
  .check(
    z.superRefine((s, ctx) => {
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
    }),
  );

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
