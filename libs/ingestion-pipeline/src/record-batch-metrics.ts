import type { IssueCode } from '@telemetry/core';
import type { DeviceStateStore } from '@telemetry/device-store';
import type { Metrics } from '@telemetry/observability';
import type { BatchReport } from './batch-report';

// Store counters are cumulative per instance; batches of several partitions run concurrently,
// so each report takes the increase since the last one (the sum over batches stays exact).
const reported = new WeakMap<DeviceStateStore, { retries: number; throttles: number }>();

export function recordBatchMetrics(metrics: Metrics, report: BatchReport, store: DeviceStateStore): void {
  metrics.record('telemetry.batch.size', report.received);
  metrics.count('telemetry.events.applied', report.applied);
  for (const [code, n] of Object.entries(report.deadLetteredByCode) as [IssueCode, number][]) {
    metrics.count('telemetry.events.deadlettered', n, { code });
  }
  const stats = store.stats();
  const last = reported.get(store) ?? { retries: 0, throttles: 0 };
  if (stats.retries > last.retries) metrics.count('telemetry.store.retries', stats.retries - last.retries);
  if (stats.throttles > last.throttles) metrics.count('telemetry.store.throttles', stats.throttles - last.throttles);
  reported.set(store, { retries: stats.retries, throttles: stats.throttles });
}
