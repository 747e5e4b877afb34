import type { AttributeArgs, CounterName, HistogramName, MetricAttributes } from './metric-catalogue';
import type { Metrics } from './metrics';
import { seriesKey, sortSeries, type CounterSeries, type HistogramSeries, type MetricsSnapshot } from './metrics-snapshot';
import { validateMeasurement } from './validate-measurement';

/**
 * Keeps every series in memory. Used by tests and locally, where its snapshot feeds the
 * `npm start` summary; in Azure it runs beside the OpenTelemetry adapter (cardinality is
 * bounded: attribute values come from closed sets such as issue codes and breaker states).
 */
export class InMemoryMetrics implements Metrics {
  private readonly counters = new Map<string, CounterSeries>();
  private readonly histograms = new Map<string, HistogramSeries>();
  private dropped = 0;

  count<N extends CounterName>(name: N, value: number, ...attributes: AttributeArgs<N>): void {
    const m = validateMeasurement('counter', name, value, attributes[0]);
    if (!m.ok) {
      this.dropped += 1;
      return;
    }
    const key = seriesKey(m.name, m.attributes);
    const series = this.counters.get(key) ?? { name: m.name, attributes: copy(m.attributes), value: 0 };
    series.value += m.value;
    this.counters.set(key, series);
  }

  record<N extends HistogramName>(name: N, value: number, ...attributes: AttributeArgs<N>): void {
    const m = validateMeasurement('histogram', name, value, attributes[0]);
    if (!m.ok) {
      this.dropped += 1;
      return;
    }
    const key = seriesKey(m.name, m.attributes);
    const s = this.histograms.get(key);
    if (!s) {
      this.histograms.set(key, { name: m.name, attributes: copy(m.attributes), count: 1, sum: m.value, min: m.value, max: m.value });
      return;
    }
    s.count += 1;
    s.sum += m.value;
    s.min = Math.min(s.min, m.value);
    s.max = Math.max(s.max, m.value);
  }

  snapshot(): MetricsSnapshot {
    return {
      counters: sortSeries([...this.counters.values()].map((c) => ({ ...c, attributes: copy(c.attributes) }))),
      histograms: sortSeries([...this.histograms.values()].map((h) => ({ ...h, attributes: copy(h.attributes) }))),
      dropped: this.dropped,
    };
  }

  reset(): void {
    this.counters.clear();
    this.histograms.clear();
    this.dropped = 0;
  }
}

const copy = (a: MetricAttributes): MetricAttributes => ({ ...a });
