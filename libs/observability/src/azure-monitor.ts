import type { TokenCredential } from '@azure/core-auth';
import { azureCredential } from '@telemetry/azure-identity';
import { onFirstUse } from '@telemetry/core';
import type { AzureMonitorExporterOptions } from '@azure/monitor-opentelemetry-exporter';
import type { Meter } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  InstrumentType,
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
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
  const exporter = new DeferredAzureMonitorExporter({ connectionString: options.connectionString, credential });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': options.meterName }),
    readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: options.exportIntervalMs ?? 60_000 })],
  });
  return {
    meter: provider.getMeter(options.meterName),
    shutdown: () => provider.shutdown(),
  };
}

type ExportCallback = Parameters<PushMetricExporter['export']>[1];
/** `ExportResultCode.FAILED` of @opentelemetry/core (the SDK's own dependency). */
const EXPORT_FAILED = 1;

/**
 * The Azure Monitor exporter, loaded and built on its first export (the reader's first interval,
 * or the final flush at shutdown) rather than at start: its module, its HTTP sender and its
 * statsbeat cost every cold start ~35 ms of CPU, and nothing is exported before the first interval.
 * Metrics are recorded into the SDK from the start, so nothing is lost.
 *
 * The reader asks for each instrument's aggregation temporality before anything is exported, so
 * this answers as AzureMonitorMetricExporter does (DELTA, CUMULATIVE for up-down counters);
 * azure-monitor.spec.ts fails if the two ever differ.
 */
export class DeferredAzureMonitorExporter implements PushMetricExporter {
  private exporter: Promise<PushMetricExporter> | undefined;
  private readonly load: () => Promise<PushMetricExporter>;

  constructor(options: AzureMonitorExporterOptions) {
    const build = onFirstUse(async (): Promise<PushMetricExporter> => {
      const { AzureMonitorMetricExporter } = await import('@azure/monitor-opentelemetry-exporter');
      return new AzureMonitorMetricExporter(options);
    });
    // What forceFlush and shutdown wait for: the build once an export started it.
    this.load = () => (this.exporter = build());
  }

  export(metrics: ResourceMetrics, resultCallback: ExportCallback): void {
    this.load().then(
      (exporter) => exporter.export(metrics, resultCallback),
      (error: unknown) => resultCallback({ code: EXPORT_FAILED, error: error instanceof Error ? error : new Error(String(error)) }),
    );
  }

  // Nothing to flush or stop before an export built it (or when the build failed: export said so).
  async forceFlush(): Promise<void> {
    await (await this.exporter?.catch(() => undefined))?.forceFlush();
  }

  async shutdown(): Promise<void> {
    await (await this.exporter?.catch(() => undefined))?.shutdown();
  }

  selectAggregationTemporality(instrumentType: InstrumentType): AggregationTemporality {
    return instrumentType === InstrumentType.UP_DOWN_COUNTER || instrumentType === InstrumentType.OBSERVABLE_UP_DOWN_COUNTER
      ? AggregationTemporality.CUMULATIVE
      : AggregationTemporality.DELTA;
  }
}
