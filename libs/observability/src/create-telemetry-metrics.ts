import type { TokenCredential } from '@azure/identity';
import { silentLogger, type Logger } from '@telemetry/core';
import { startAzureMonitor, type AzureMonitorHandle } from './azure-monitor';
import { FanOutMetrics } from './fan-out-metrics';
import { InMemoryMetrics } from './in-memory-metrics';
import { writeMetricsSnapshotFile } from './metrics-snapshot-file';
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
  /** How often the local snapshot file is rewritten (ms); default 2,000. */
  snapshotIntervalMs?: number;
}

export interface TelemetryMetrics {
  /** What the app records into. */
  metrics: Metrics;
  /** Always present: the same numbers, in memory (local summary, tests, diagnostics). */
  memory: InMemoryMetrics;
  exporter: 'azure-monitor' | 'none';
  /** Writes the snapshot file now (when METRICS_SNAPSHOT_FILE is set). */
  flush(): Promise<void>;
  /** Final snapshot write, then exports what is pending to Azure Monitor and stops it. */
  shutdown(): Promise<void>;
}

/**
 * Composes the metrics of one app instance: in memory always; Azure Monitor (OpenTelemetry)
 * only when APPLICATIONINSIGHTS_CONNECTION_STRING is set; a snapshot file when
 * METRICS_SNAPSHOT_FILE is set (the local stack reads it for the `npm start` summary).
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

  const file = settings.METRICS_SNAPSHOT_FILE;
  let warned = false;
  const flush = async (): Promise<void> => {
    if (!file) return;
    try {
      await writeMetricsSnapshotFile(file, { app, pid: process.pid, at: new Date().toISOString(), snapshot: memory.snapshot() });
    } catch (err) {
      if (!warned) logger.warn('metrics snapshot file not written', { app, error: (err as Error).message });
      warned = true;
    }
  };
  const timer = file ? setInterval(() => void flush(), options.snapshotIntervalMs ?? 2_000) : undefined;
  timer?.unref();

  return {
    metrics,
    memory,
    exporter: azure ? 'azure-monitor' : 'none',
    flush,
    shutdown: async () => {
      if (timer) clearInterval(timer);
      await flush();
      await azure?.shutdown();
    },
  };
}
