import { formatMetricsSummary } from '@telemetry/observability';
import type { ScenarioSummary } from './run-scenario';

/** The human-readable summary `npm start` prints. */
export function formatSummary(s: ScenarioSummary): string {
  const r = s.reconciliation;
  const rows: [string, string | number][] = [
    ['events sent', `${s.simulation.sent} (${s.simulation.valid} valid, ${s.simulation.corrupt} corrupt, ${s.simulation.duplicates} duplicates)`],
    ['devices', `${r.devicesStored} stored / ${r.devicesExpected} expected`],
    ['applied', r.applied],
    ['superseded by newer', r.superseded],
    ['dead-lettered', `${r.deadLettered} ${JSON.stringify(r.deadLettersByCode)}`],
    ['lost', r.lost],
    ['devices not matching the model', r.devicesMismatched.length],
    ['end to end', `${(s.endToEndMs / 1000).toFixed(1)} s, ${s.endToEndEventsPerSecond} events/s`],
    ['send rate', `${s.simulation.eventsPerSecond} events/s`],
    ['enqueue->stored latency', `p50 ${s.latencyMs.p50 ?? '-'} ms, p99 ${s.latencyMs.p99 ?? '-'} ms (${s.latencyMs.count} events)`],
    ['ingestion invocations', `${s.ingestion.invocations} (${s.ingestion.failures} failed, ${s.ingestion.retries} retries)`],
    ['reconciled', r.ok ? 'YES: every event is applied, superseded or dead-lettered' : `NO: ${r.lost} lost, ${r.devicesMismatched.length} devices mismatched`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const table = rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n');
  const metrics = formatMetricsSummary(s.metrics);
  return metrics.length ? `${table}\n\napp metrics (as exported to Azure Monitor)\n${metrics.map((l) => `  ${l}`).join('\n')}` : table;
}
