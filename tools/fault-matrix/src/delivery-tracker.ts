import type { SpawnedHost } from '@telemetry/local-host';

/**
 * Counts deliveries completed by the ingestion function across host instances (the local host's
 * `eventsProcessed`, per instance, since the scenario started). Read a host right before killing
 * it: a killed host's count is its last reading.
 */
export class DeliveryTracker {
  private readonly baseline = new Map<SpawnedHost, number>();
  private readonly last = new Map<SpawnedHost, number>();

  /** Takes the current counts of these hosts as the zero. */
  async start(hosts: SpawnedHost[]): Promise<void> {
    this.baseline.clear();
    this.last.clear();
    for (const host of hosts) {
      const n = await processed(host);
      this.baseline.set(host, n);
      this.last.set(host, n);
    }
  }

  /** Reads these hosts now (new hosts count from 0). */
  async refresh(hosts: SpawnedHost[]): Promise<void> {
    for (const host of hosts) {
      if (!this.baseline.has(host)) this.baseline.set(host, 0);
      this.last.set(host, await processed(host).catch(() => this.last.get(host) ?? 0));
    }
  }

  /** Deliveries completed since start, over every instance seen. */
  total(): number {
    let sum = 0;
    for (const [host, n] of this.last) sum += n - (this.baseline.get(host) ?? 0);
    return sum;
  }
}

async function processed(host: SpawnedHost): Promise<number> {
  return (await host.admin.metrics())['ingestTelemetry']?.eventsProcessed ?? 0;
}
