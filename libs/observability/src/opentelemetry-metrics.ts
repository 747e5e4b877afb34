import type { Counter, Histogram, Meter } from '@opentelemetry/api';
import { METRIC_CATALOGUE, type AttributeArgs, type CounterName, type HistogramName, type MetricDefinition, type MetricName } from './metric-catalogue';
import type { Metrics } from './metrics';
import { validateMeasurement } from './validate-measurement';

/** Bucket bounds (events per batch) for telemetry.batch.size; host.json caps batches at 256. */
const BATCH_SIZE_BUCKETS = [1, 8, 32, 64, 128, 192, 256, 512, 1024];

/**
 * The OpenTelemetry adapter: one instrument per catalogue entry, created on first use from a
 * Meter (in Azure, the meter provider of azure-monitor.ts exports them as customMetrics).
 */
export class OpenTelemetryMetrics implements Metrics {
  private readonly counters = new Map<MetricName, Counter>();
  private readonly histograms = new Map<MetricName, Histogram>();
  private droppedCount = 0;

  constructor(private readonly meter: Meter) {}

  /** Measurements refused by validation (never thrown at the caller). */
  get dropped(): number {
    return this.droppedCount;
  }

  count<N extends CounterName>(name: N, value: number, ...attributes: AttributeArgs<N>): void {
    const m = validateMeasurement('counter', name, value, attributes[0]);
    if (!m.ok) {
      this.droppedCount += 1;
      return;
    }
    let counter = this.counters.get(m.name);
    if (!counter) {
      const d = METRIC_CATALOGUE[m.name];
      counter = this.meter.createCounter(m.name, { unit: d.unit, description: d.description });
      this.counters.set(m.name, counter);
    }
    counter.add(m.value, m.attributes);
  }

  record<N extends HistogramName>(name: N, value: number, ...attributes: AttributeArgs<N>): void {
    const m = validateMeasurement('histogram', name, value, attributes[0]);
    if (!m.ok) {
      this.droppedCount += 1;
      return;
    }
    let histogram = this.histograms.get(m.name);
    if (!histogram) {
      const d: MetricDefinition = METRIC_CATALOGUE[m.name];
      histogram = this.meter.createHistogram(m.name, {
        unit: d.unit,
        description: d.description,
        advice: { explicitBucketBoundaries: [...(d.buckets ?? BATCH_SIZE_BUCKETS)] },
      });
      this.histograms.set(m.name, histogram);
    }
    histogram.record(m.value, m.attributes);
  }
}
