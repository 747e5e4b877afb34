import type { TokenCredential } from '@azure/core-auth';
import { silentLogger, type Logger } from '@telemetry/core';
import { startAzureMonitor, type AzureMonitorHandle } from './azure-monitor';
import { FanOutMetrics } from './fan-out-metrics';
import { InMemoryMetrics } from './in-memory-metrics';
import type { Metrics } from './metrics';
import type { ObservabilitySettings } from './observability-settings';
import { OpenTelemetryMetrics } from './opentelemetry-metrics';

export interface TelemetryMetricsOptions {
  /** The app's name (the Nx project): meter name and snapshot-file label. */
  app: string;
  settings: ObservabilitySettings;
  logger?: Logger;
  /** Overrides the credential derived from APPLICATIONINSIGHTS_AUTHENTICATION_STRING (tests, non-Azure hosts). */
  credential?: TokenCredential;
}

export interface TelemetryMetrics {
  /** What the app records into. */
  metrics: Metrics;
  /** Always present: the same numbers, in memory (the local stack's summary, tests, diagnostics). */
  memory: InMemoryMetrics;
  exporter: 'azure-monitor' | 'none';
  /** Exports what is pending to Azure Monitor and stops it. */
  shutdown(): Promise<void>;
}

/**
 * Composes the metrics of one app instance: in memory always (the local stack's tools write it to
 * a file through a host extension, see libs/function-app-kit); Azure Monitor (OpenTelemetry) only
 * when APPLICATIONINSIGHTS_CONNECTION_STRING is set.
 */
export function createTelemetryMetrics(options: TelemetryMetricsOptions): TelemetryMetrics {
  const { app, settings } = options;
  const logger = options.logger ?? silentLogger;
  const memory = new InMemoryMetrics();
  let azure: AzureMonitorHandle | undefined;
  if (settings.APPLICATIONINSIGHTS_CONNECTION_STRING) {
    azure = startAzureMonitor({
      connectionString: settings.APPLICATIONINSIGHTS_CONNECTION_STRING,
      authenticationString: settings.APPLICATIONINSIGHTS_AUTHENTICATION_STRING,
      credential: options.credential,
      meterName: app,
    });
    logger.info('metrics exported to Azure Monitor', { app, entraAuth: Boolean(settings.APPLICATIONINSIGHTS_AUTHENTICATION_STRING) });
  }
  const metrics: Metrics = azure ? new FanOutMetrics([new OpenTelemetryMetrics(azure.meter), memory]) : memory;

  return {
    metrics,
    memory,
    exporter: azure ? 'azure-monitor' : 'none',
    shutdown: async () => {
      await azure?.shutdown();
    },
  };
}
