import { METRIC_CATALOGUE, METRIC_NAMES } from './metric-catalogue';
import type { MetricsSnapshot } from './metrics-snapshot';

/**
 * Renders a snapshot as aligned text lines for the local `npm start` summary, one line per
 * series, in catalogue order. Metrics never recorded are listed too, so a missing signal is
 * visible: a counter as 0 (nothing counted), a histogram as `-` (no measurement: a gauge such as
 * `eventhubs.time_to_data_loss` at 0 would read as "data loss now").
 */
export function formatMetricsSummary(snapshot: MetricsSnapshot): string[] {
  const rows: Array<[string, string]> = [];
  for (const name of METRIC_NAMES) {
    const counters = snapshot.counters.filter((c) => c.name === name);
    const histograms = snapshot.histograms.filter((h) => h.name === name);
    if (counters.length === 0 && histograms.length === 0) rows.push([name, METRIC_CATALOGUE[name].kind === 'counter' ? '0' : '- (not recorded)']);
    for (const c of counters) rows.push([label(name, c.attributes), String(c.value)]);
    for (const h of histograms) {
      const avg = h.count === 0 ? 0 : h.sum / h.count;
      // Sums of fractional measurements (seconds) print as 6499.26, not 6499.260999999995.
      rows.push([label(name, h.attributes), `count=${h.count} sum=${round(h.sum)} min=${round(h.min)} avg=${round(avg)} max=${round(h.max)}`]);
    }
  }
  if (snapshot.dropped > 0) rows.push(['(dropped measurements)', String(snapshot.dropped)]);
  const width = Math.max(...rows.map(([l]) => l.length));
  return rows.map(([l, v]) => `${l.padEnd(width)}  ${v}`);
}

function label(name: string, attributes: Readonly<Record<string, string>>): string {
  const parts = Object.keys(attributes)
    .sort()
    .map((k) => `${k}=${attributes[k]}`);
  return parts.length === 0 ? name : `${name}{${parts.join(',')}}`;
}

const round = (n: number): number => Math.round(n * 100) / 100;
