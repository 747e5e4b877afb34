import type { TokenCredential } from '@azure/core-auth';
import { azureCredential } from '@telemetry/azure-identity';
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
 * statsbeat cost every cold start ~25 ms of CPU, and nothing is exported before the first interval.
 * Metrics are recorded into the SDK from the start, so nothing is lost.
 *
 * The reader asks for each instrument's aggregation temporality before anything is exported, so
 * this answers as AzureMonitorMetricExporter does (DELTA, CUMULATIVE for up-down counters);
 * azure-monitor.spec.ts fails if the two ever differ.
 */
export class DeferredAzureMonitorExporter implements PushMetricExporter {
  private exporter: Promise<PushMetricExporter> | undefined;

  constructor(private readonly options: AzureMonitorExporterOptions) {}

  export(metrics: ResourceMetrics, resultCallback: ExportCallback): void {
    this.load().then(
      (exporter) => exporter.export(metrics, resultCallback),
      (error: unknown) => resultCallback({ code: EXPORT_FAILED, error: error instanceof Error ? error : new Error(String(error)) }),
    );
  }

  async forceFlush(): Promise<void> {
    if (this.exporter) await (await this.exporter).forceFlush();
  }

  async shutdown(): Promise<void> {
    if (this.exporter) await (await this.exporter).shutdown();
  }

  selectAggregationTemporality(instrumentType: InstrumentType): AggregationTemporality {
    return instrumentType === InstrumentType.UP_DOWN_COUNTER || instrumentType === InstrumentType.OBSERVABLE_UP_DOWN_COUNTER
      ? AggregationTemporality.CUMULATIVE
      : AggregationTemporality.DELTA;
  }

  /** One build shared by every caller; a failed one (the file could not be loaded) is tried again next time. */
  private load(): Promise<PushMetricExporter> {
    if (!this.exporter) {
      const building = import('@azure/monitor-opentelemetry-exporter').then(({ AzureMonitorMetricExporter }) => new AzureMonitorMetricExporter(this.options));
      building.catch(() => {
        if (this.exporter === building) this.exporter = undefined;
      });
      this.exporter = building;
    }
    return this.exporter;
  }
}
