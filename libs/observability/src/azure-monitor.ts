import { ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { shutdownAzureMonitor, useAzureMonitor } from '@azure/monitor-opentelemetry';
import { metrics as otelMetrics, type Meter, type MeterProvider } from '@opentelemetry/api';
import { aadAuthentication } from './observability-settings';

export interface AzureMonitorOptions {
  connectionString: string;
  /** `APPLICATIONINSIGHTS_AUTHENTICATION_STRING`; with Authorization=AAD, metrics are sent with that identity. */
  authenticationString?: string;
  /** Overrides the credential derived from the authentication string (tests). */
  credential?: TokenCredential;
  meterName: string;
}

export interface AzureMonitorHandle {
  meter: Meter;
  /** Exports what is pending and stops the distro (call on app terminate). */
  shutdown(): Promise<void>;
}

let started = false;

/**
 * Starts the Azure Monitor OpenTelemetry distro for metrics only. The Functions host already
 * sends requests, dependencies and logs to Application Insights, so the distro's HTTP/Azure SDK
 * instrumentations, live metrics and standard metrics stay off (no duplicates, no extra cost).
 * Once per process: the distro registers global providers.
 */
export function startAzureMonitor(options: AzureMonitorOptions): AzureMonitorHandle {
  if (started) throw new Error('startAzureMonitor: already started in this process');
  const aad = aadAuthentication(options.authenticationString);
  const credential = options.credential ?? (aad ? new ManagedIdentityCredential(aad.clientId ? { clientId: aad.clientId } : {}) : undefined);
  useAzureMonitor({
    azureMonitorExporterOptions: { connectionString: options.connectionString, credential },
    enableLiveMetrics: false,
    enableStandardMetrics: false,
    enablePerformanceCounters: false,
    instrumentationOptions: {
      azureSdk: { enabled: false },
      http: { enabled: false },
      mongoDb: { enabled: false },
      mySql: { enabled: false },
      postgreSql: { enabled: false },
      redis: { enabled: false },
      redis4: { enabled: false },
      bunyan: { enabled: false },
      winston: { enabled: false },
    },
  });
  started = true;
  return {
    meter: registeredMeterProvider().getMeter(options.meterName),
    shutdown: async () => {
      await shutdownAzureMonitor();
      started = false;
    },
  };
}

/**
 * The meter provider the distro registered. The distro registers it through its own copy of
 * @opentelemetry/api (1.9.x: its SDK packages cap the API below 1.10), and API 1.10's
 * `metrics.getMeter` refuses globals registered by an older minor version (it would hand back a
 * no-op meter). The registry itself is shared: one object under the documented global key
 * `Symbol.for('opentelemetry.js.api.1')`, so read the provider from there, whichever copy
 * registered it; fall back to the API when the versions agree.
 */
function registeredMeterProvider(): MeterProvider {
  const registry = (globalThis as Record<symbol, { metrics?: MeterProvider } | undefined>)[Symbol.for('opentelemetry.js.api.1')];
  return registry?.metrics ?? otelMetrics.getMeterProvider();
}
