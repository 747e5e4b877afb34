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

  it('prints fractional histogram figures to two decimals (seconds summed in floating point)', () => {
    const m = new InMemoryMetrics();
    for (const v of [4.535, 5.1, 6.449, 0.1, 0.2]) m.record('telemetry.window.stored_after', v);
    const lines = formatMetricsSummary(m.snapshot()).map((l) => l.replace(/\s+/g, ' '));
    expect(lines).toContain('telemetry.window.stored_after count=5 sum=16.38 min=0.1 avg=3.28 max=6.45');
  });

  it('shows dropped measurements only when there are some', () => {
    const m = new InMemoryMetrics();
    expect(formatMetricsSummary(m.snapshot()).some((l) => l.includes('dropped'))).toBe(false);
    m.count('telemetry.store.retries', -5);
    expect(formatMetricsSummary(m.snapshot()).at(-1)?.replace(/\s+/g, ' ')).toBe('(dropped measurements) 1');
  });
});
