import { ConfigError, jsonLogger, type Logger } from '@telemetry/core';
import { ArmAppStopSwitch, ArmFunctionDisableSwitch, connectWebApps } from '@telemetry/azure-app-service';
import { LocalHostSwitch, noOperatorNotifier, WebhookNotifier } from '@telemetry/http-adapters';
import { type BreakerPolicy, type IngestionSwitch, type OperatorNotifier } from '@telemetry/breaker-rules';
import { connectFailureTable, TableFailureCounter, tableConnectionFromSettings } from '@telemetry/azure-tables';
import { type FailureCounter } from '@telemetry/failure-tracking';
import { DefaultAzureCredential } from '@azure/identity';
import { createTelemetryMetrics, type TelemetryMetrics } from '@telemetry/observability';
import { loadBreakerSettings, policyFrom, type BreakerSettings } from './config';

export interface BreakerServices {
  settings: BreakerSettings;
  policy: BreakerPolicy;
  failures: FailureCounter & { prune(olderThanMs: number): Promise<number> };
  ingestion: IngestionSwitch;
  notifier: OperatorNotifier;
  logger: Logger;
  /** Current time (epoch ms); tests may replace it. */
  clock: () => number;
  /** breaker.state.changes and friends (Azure Monitor when configured; snapshot file locally). */
  telemetry: TelemetryMetrics;
}

/** Flushes metrics on the way out (the app's terminate hook). */
export async function shutdownBreakerServices(): Promise<void> {
  await services?.telemetry.shutdown();
}

let services: BreakerServices | undefined;

/** The composition root: settings parsed once, clients built once per instance. */
export function breakerServices(): BreakerServices {
  services ??= createBreakerServices(process.env);
  return services;
}

export function createBreakerServices(env: Record<string, string | undefined>): BreakerServices {
  const settings = loadBreakerSettings(env);
  const table = tableConnectionFromSettings('FailureTracking', env);
  if (!table) throw new ConfigError(['FailureTracking: set a connection string or FailureTracking__tableServiceUri']);
  const logger = jsonLogger((level, line) => (level === 'error' ? console.error(line) : level === 'warn' ? console.warn(line) : console.info(line)), { app: 'circuit-breaker' });
  return {
    settings,
    policy: policyFrom(settings),
    failures: new TableFailureCounter(connectFailureTable(table, settings.FAILURE_TABLE)),
    ingestion: ingestionSwitch(settings),
    notifier: settings.BREAKER_WEBHOOK_URL ? new WebhookNotifier({ url: settings.BREAKER_WEBHOOK_URL }) : noOperatorNotifier,
    logger,
    clock: Date.now,
    telemetry: createTelemetryMetrics({ app: 'circuit-breaker', settings, logger }),
  };
}

function ingestionSwitch(s: BreakerSettings): IngestionSwitch {
  const functionNames = [s.INGESTION_FUNCTION_NAME];
  if (s.BREAKER_SWITCH === 'local-host') {
    return new LocalHostSwitch({ adminUrl: s.LOCAL_HOST_ADMIN_URL!, masterKey: s.LOCAL_HOST_MASTER_KEY!, functionNames });
  }
  // Config validation guarantees these for the ARM switches.
  const target = { subscriptionId: s.AZURE_SUBSCRIPTION_ID!, resourceGroup: s.INGESTION_RESOURCE_GROUP!, appName: s.INGESTION_APP_NAME! };
  const webApps = connectWebApps(target.subscriptionId, new DefaultAzureCredential({ managedIdentityClientId: s.AZURE_CLIENT_ID }));
  return s.BREAKER_SWITCH === 'arm-app' ? new ArmAppStopSwitch(webApps, target) : new ArmFunctionDisableSwitch(webApps, { ...target, functionNames });
}
