import type { AttributeArgs, CounterName, HistogramName } from './metric-catalogue';
import type { Metrics } from './metrics';

/** Sends every measurement to several adapters (in Azure: OpenTelemetry and in-memory). */
export class FanOutMetrics implements Metrics {
  constructor(private readonly targets: readonly Metrics[]) {}

  count<N extends CounterName>(name: N, value: number, ...attributes: AttributeArgs<N>): void {
    for (const t of this.targets) t.count(name, value, ...attributes);
  }

  record<N extends HistogramName>(name: N, value: number, ...attributes: AttributeArgs<N>): void {
    for (const t of this.targets) t.record(name, value, ...attributes);
  }
}
