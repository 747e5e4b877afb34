import type { MetricAttributes, MetricName } from './metric-catalogue';

export interface CounterSeries {
  name: MetricName;
  attributes: MetricAttributes;
  value: number;
}

export interface HistogramSeries {
  name: MetricName;
  attributes: MetricAttributes;
  count: number;
  sum: number;
  min: number;
  max: number;
}

/** A point-in-time copy of every series; plain JSON (it is written to files and merged). */
export interface MetricsSnapshot {
  counters: CounterSeries[];
  histograms: HistogramSeries[];
  /** Measurements refused by validation (see Metrics). Non-zero means a caller bug. */
  dropped: number;
}

export const emptySnapshot = (): MetricsSnapshot => ({ counters: [], histograms: [], dropped: 0 });

export function seriesKey(name: string, attributes: MetricAttributes): string {
  const sorted = Object.keys(attributes)
    .sort()
    .map((k) => `${k}=${attributes[k]}`);
  return `${name}{${sorted.join(',')}}`;
}

/** Sums snapshots from several processes (e.g. several local instances of one app). */
export function mergeSnapshots(snapshots: readonly MetricsSnapshot[]): MetricsSnapshot {
  const counters = new Map<string, CounterSeries>();
  const histograms = new Map<string, HistogramSeries>();
  let dropped = 0;
  for (const snapshot of snapshots) {
    dropped += snapshot.dropped;
    for (const c of snapshot.counters) {
      const key = seriesKey(c.name, c.attributes);
      const existing = counters.get(key);
      counters.set(key, existing ? { ...existing, value: existing.value + c.value } : { ...c });
    }
    for (const h of snapshot.histograms) {
      const key = seriesKey(h.name, h.attributes);
      const e = histograms.get(key);
      histograms.set(
        key,
        e ? { ...e, count: e.count + h.count, sum: e.sum + h.sum, min: Math.min(e.min, h.min), max: Math.max(e.max, h.max) } : { ...h },
      );
    }
  }
  return { counters: sortSeries([...counters.values()]), histograms: sortSeries([...histograms.values()]), dropped };
}

/** Sum of a counter over every series whose attributes include `where`. */
export function counterTotal(snapshot: MetricsSnapshot, name: MetricName, where: MetricAttributes = {}): number {
  return snapshot.counters
    .filter((c) => c.name === name && Object.entries(where).every(([k, v]) => c.attributes[k] === v))
    .reduce((sum, c) => sum + c.value, 0);
}

export function sortSeries<T extends { name: string; attributes: MetricAttributes }>(series: T[]): T[] {
  return series.sort((a, b) => seriesKey(a.name, a.attributes).localeCompare(seriesKey(b.name, b.attributes)));
}
