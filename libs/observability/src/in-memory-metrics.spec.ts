import fc from 'fast-check';
import { InMemoryMetrics } from './in-memory-metrics';
import { counterTotal } from './metrics-snapshot';
import type { Metrics } from './metrics';

describe('InMemoryMetrics', () => {
  it('keeps one series per metric and attribute set', () => {
    const m = new InMemoryMetrics();
    m.count('telemetry.events.applied', 250);
    m.count('telemetry.events.applied', 6);
    m.count('telemetry.events.deadlettered', 2, { code: 'INVALID_JSON' });
    m.count('telemetry.events.deadlettered', 1, { code: 'SCHEMA_VIOLATION' });
    m.count('telemetry.events.deadlettered', 3, { code: 'INVALID_JSON' });
    m.count('reprocessor.outcomes', 1, { outcome: 'replayed', code: 'STORE_UNAVAILABLE' });
    m.count('breaker.state.changes', 1, { to: 'open' });

    const s = m.snapshot();
    expect(counterTotal(s, 'telemetry.events.applied')).toBe(256);
    expect(counterTotal(s, 'telemetry.events.deadlettered')).toBe(6);
    expect(counterTotal(s, 'telemetry.events.deadlettered', { code: 'INVALID_JSON' })).toBe(5);
    expect(counterTotal(s, 'reprocessor.outcomes', { outcome: 'replayed' })).toBe(1);
    expect(counterTotal(s, 'breaker.state.changes', { to: 'closed' })).toBe(0);
    expect(s.counters.filter((c) => c.name === 'telemetry.events.deadlettered')).toHaveLength(2);
    expect(s.dropped).toBe(0);
  });

  it('summarises histograms as count, sum, min and max', () => {
    const m = new InMemoryMetrics();
    for (const size of [256, 1, 64]) m.record('telemetry.batch.size', size);
    expect(m.snapshot().histograms).toEqual([{ name: 'telemetry.batch.size', attributes: {}, count: 3, sum: 321, min: 1, max: 256 }]);
  });

  it('drops, never throws on, measurements the catalogue refuses', () => {
    const m = new InMemoryMetrics();
    const untyped = m as unknown as { count(n: string, v: number, a?: unknown): void; record(n: string, v: number, a?: unknown): void };
    expect(() => {
      m.count('telemetry.store.retries', -1);
      m.count('telemetry.store.retries', Number.NaN);
      untyped.count('telemetry.events.deadlettered', 1); // missing code
      untyped.count('telemetry.events.deadlettered', 1, { code: 'X', deviceId: 'd1' }); // unbounded attribute
      untyped.count('telemetry.events.deadlettered', 1, { code: 7 });
      untyped.count('no.such.metric', 1);
      untyped.record('telemetry.events.applied', 1); // a counter, not a histogram
      untyped.count('telemetry.batch.size', 1); // a histogram, not a counter
    }).not.toThrow();
    const s = m.snapshot();
    expect(s.dropped).toBe(8);
    expect(s.counters).toEqual([]);
    expect(s.histograms).toEqual([]);
  });

  it('hands out copies: a snapshot does not change when recording continues', () => {
    const m = new InMemoryMetrics();
    m.count('telemetry.store.throttles', 1);
    const before = m.snapshot();
    m.count('telemetry.store.throttles', 1);
    expect(counterTotal(before, 'telemetry.store.throttles')).toBe(1);
    expect(counterTotal(m.snapshot(), 'telemetry.store.throttles')).toBe(2);
    m.reset();
    expect(m.snapshot()).toEqual({ counters: [], histograms: [], dropped: 0 });
  });

  it('totals equal the sum of every count, whatever the order and attributes', () => {
    const codes = ['INVALID_JSON', 'SCHEMA_VIOLATION', 'STORE_REJECTED'];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(1_000), fc.constantFrom(...codes)), { maxLength: 200 }), (adds) => {
        const m: Metrics & { snapshot: InMemoryMetrics['snapshot'] } = new InMemoryMetrics();
        for (const [value, code] of adds) m.count('telemetry.events.deadlettered', value, { code });
        const s = m.snapshot();
        expect(counterTotal(s, 'telemetry.events.deadlettered')).toBe(adds.reduce((sum, [v]) => sum + v, 0));
        for (const code of codes) {
          const expected = adds.filter(([, c]) => c === code).reduce((sum, [v]) => sum + v, 0);
          expect(counterTotal(s, 'telemetry.events.deadlettered', { code })).toBe(expected);
        }
      }),
    );
  });
});
