import type { TokenCredential } from '@azure/core-auth';
import { azureCredential } from '@telemetry/azure-identity';
import { AzureMonitorMetricExporter } from '@azure/monitor-opentelemetry-exporter';
import type { Meter } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { aadAuthentication } from './observability-settings';

export interface AzureMonitorOptions {
  connectionString: string;
  /** `APPLICATIONINSIGHTS_AUTHENTICATION_STRING`; with Authorization=AAD, metrics are sent with that identity. */
  authenticationString?: string;
  /** Overrides the credential derived from the authentication string (tests). */
  credential?: TokenCredential;
  /** Meter name, and the `service.name` resource attribute (Application Insights' cloud role name). */
  meterName: string;
  /** How often pending metrics are exported (default 60 s, as the distro did). */
  exportIntervalMs?: number;
}

export interface AzureMonitorHandle {
  meter: Meter;
  /** Exports what is pending and stops the meter provider (call on app terminate). */
  shutdown(): Promise<void>;
}

/**
 * Metrics to Azure Monitor with the OpenTelemetry metrics SDK and the Azure Monitor exporter
 * alone: the same `customMetrics` the distro sent, without its tracing, logging and
 * instrumentation packages (the Functions host already sends requests, dependencies and logs to
 * Application Insights). The meter provider is this app instance's own, not a process-wide
 * global, so nothing else in the process can replace or read it.
 */
export function startAzureMonitor(options: AzureMonitorOptions): AzureMonitorHandle {
  const aad = aadAuthentication(options.authenticationString);
  const credential = options.credential ?? (aad ? azureCredential({ managedIdentityOnly: true, ...(aad.clientId ? { managedIdentityClientId: aad.clientId } : {}) }) : undefined);
  const exporter = new AzureMonitorMetricExporter({ connectionString: options.connectionString, credential });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': options.meterName }),
    readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: options.exportIntervalMs ?? 60_000 })],
  });
  return {
    meter: provider.getMeter(options.meterName),
    shutdown: () => provider.shutdown(),
  };
}
