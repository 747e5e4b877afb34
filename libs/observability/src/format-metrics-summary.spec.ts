import { formatMetricsSummary } from './format-metrics-summary';
import { InMemoryMetrics } from './in-memory-metrics';
import { METRIC_NAMES } from './metric-catalogue';

describe('formatMetricsSummary', () => {
  it('prints every catalogue metric, zero when never recorded, with attributes and histogram stats', () => {
    const m = new InMemoryMetrics();
    m.record('telemetry.batch.size', 100);
    m.record('telemetry.batch.size', 50);
    m.count('telemetry.events.applied', 150);
    m.count('telemetry.events.deadlettered', 3, { code: 'INVALID_JSON' });
    const lines = formatMetricsSummary(m.snapshot()).map((l) => l.replace(/\s+/g, ' '));

    expect(lines).toContain('telemetry.batch.size count=2 sum=150 min=50 avg=75 max=100');
    expect(lines).toContain('telemetry.events.applied 150');
    expect(lines).toContain('telemetry.events.deadlettered{code=INVALID_JSON} 3');
    expect(lines).toContain('breaker.state.changes 0');
    // A histogram never recorded is no measurement, not 0 (time to data loss 0 would read as "now").
    expect(lines).toContain('eventhubs.time_to_data_loss - (not recorded)');
    for (const name of METRIC_NAMES) expect(lines.some((l) => l.startsWith(name))).toBe(true);
  });

  it('shows dropped measurements only when there are some', () => {
    const m = new InMemoryMetrics();
    expect(formatMetricsSummary(m.snapshot()).some((l) => l.includes('dropped'))).toBe(false);
    m.count('telemetry.store.retries', -5);
    expect(formatMetricsSummary(m.snapshot()).at(-1)?.replace(/\s+/g, ' ')).toBe('(dropped measurements) 1');
  });
});
