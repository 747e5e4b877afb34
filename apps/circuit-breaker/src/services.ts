import { azureCredential } from '@telemetry/azure-identity';
import { ArmAppStopSwitch, ArmFunctionDisableSwitch, connectWebApps } from '@telemetry/azure-app-service';
import { connectTable, TableFailureCounter, tableConnectionFromSettings } from '@telemetry/azure-tables';
import { AcsEmailNotifier } from '@telemetry/azure-communication-email';
import type { BreakerPolicy, IngestionSwitch, NotifierChannel } from '@telemetry/breaker-rules';
import { ConfigError, type Logger } from '@telemetry/core';
import type { FailureCounter } from '@telemetry/failure-tracking';
import { defineAppServices, type Env } from '@telemetry/function-app-kit';
import { HttpIngestionSwitch, WebhookNotifier } from '@telemetry/http-adapters';
import { createTelemetryMetrics, type TelemetryMetrics } from '@telemetry/observability';
import { SmtpEmailNotifier } from '@telemetry/smtp-email';
import { loadBreakerSettings, policyFrom, type BreakerSettings } from './config';

export interface BreakerServices {
  settings: BreakerSettings;
  policy: BreakerPolicy;
  failures: FailureCounter & { prune(olderThanMs: number): Promise<number> };
  ingestion: IngestionSwitch;
  /** Where notices go: e-mail (ACS or SMTP) and the webhook, each when configured. Empty = only logged. */
  notifiers: NotifierChannel[];
  logger: Logger;
  /** Current time (epoch ms); tests may replace it. */
  clock: () => number;
  /** breaker.state.changes and friends (Azure Monitor when configured). */
  telemetry: TelemetryMetrics;
}

/** The composition root: built at host start (registerAppHooks in main.ts), reused by every invocation. */
export const breakerServices = defineAppServices({
  app: 'circuit-breaker',
  create: (env, kit) => createBreakerServices(env, kit.logger),
  stop: (s) => s.telemetry.shutdown(),
});

export function createBreakerServices(env: Env, logger: Logger): BreakerServices {
  const settings = loadBreakerSettings(env);
  const table = tableConnectionFromSettings('FailureTracking', env);
  if (!table) throw new ConfigError(['FailureTracking: set a connection string or FailureTracking__tableServiceUri']);
  const notifiers = notifierChannels(settings);
  // Said once at start, not first at a trip: in manual mode nobody could then approve the resume.
  if (settings.BREAKER_MODE === 'manual' && notifiers.length === 0 && !settings.BREAKER_OPERATORS?.trim()) {
    logger.warn(
      'breaker in manual mode with no notice channel (BREAKER_EMAIL_TRANSPORT, BREAKER_WEBHOOK_URL) and no BREAKER_OPERATORS: after a trip nobody receives the signed resume link and nobody can approve; configure a channel or operators',
      { code: 'BREAKER_UNREACHABLE_OPERATORS' },
    );
  }
  return {
    settings,
    policy: policyFrom(settings),
    failures: new TableFailureCounter(connectTable(table, settings.FAILURE_TABLE)),
    ingestion: ingestionSwitch(settings),
    notifiers,
    logger,
    clock: Date.now,
    telemetry: createTelemetryMetrics({ app: 'circuit-breaker', settings, logger }),
  };
}

function ingestionSwitch(s: BreakerSettings): IngestionSwitch {
  const functionNames = [s.INGESTION_FUNCTION_NAME];
  // Config validation guarantees the settings each switch needs.
  if (s.BREAKER_SWITCH === 'http') return new HttpIngestionSwitch({ url: s.INGESTION_SWITCH_URL!, key: s.INGESTION_SWITCH_KEY!, functionNames });
  const target = { subscriptionId: s.AZURE_SUBSCRIPTION_ID!, resourceGroup: s.INGESTION_RESOURCE_GROUP!, appName: s.INGESTION_APP_NAME! };
  const webApps = connectWebApps(target.subscriptionId, azureCredential({ managedIdentityClientId: s.AZURE_CLIENT_ID }));
  return s.BREAKER_SWITCH === 'arm-app' ? new ArmAppStopSwitch(webApps, target) : new ArmFunctionDisableSwitch(webApps, { ...target, functionNames });
}

function notifierChannels(s: BreakerSettings): NotifierChannel[] {
  const channels: NotifierChannel[] = [];
  // Config validation guarantees the settings each transport needs.
  if (s.BREAKER_EMAIL_TRANSPORT === 'acs') {
    channels.push({ name: 'email', notifier: new AcsEmailNotifier({
      endpoint: s.ACS_ENDPOINT!, sender: s.BREAKER_EMAIL_FROM!, recipients: s.BREAKER_EMAIL_TO!,
      // The user-assigned identity holds the ACS role (infra/modules/communication.bicep); no key exists in settings.
      credential: azureCredential({ managedIdentityClientId: s.AZURE_CLIENT_ID }),
    }) });
  } else if (s.BREAKER_EMAIL_TRANSPORT === 'smtp') {
    channels.push({ name: 'email', notifier: new SmtpEmailNotifier({
      host: s.SMTP_HOST!, port: s.SMTP_PORT!, secure: s.SMTP_SECURE === 'true', from: s.BREAKER_EMAIL_FROM!, to: s.BREAKER_EMAIL_TO!,
      ...(s.SMTP_USER && s.SMTP_PASSWORD ? { auth: { user: s.SMTP_USER, pass: s.SMTP_PASSWORD } } : {}),
    }) });
  }
  if (s.BREAKER_WEBHOOK_URL) channels.push({ name: 'webhook', notifier: new WebhookNotifier({ url: s.BREAKER_WEBHOOK_URL }) });
  return channels;
}
