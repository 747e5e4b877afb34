import fc from 'fast-check';
import { LatencyHistogram } from './latency-histogram';

describe('LatencyHistogram', () => {
  it('gives percentiles of the recorded samples', () => {
    const h = new LatencyHistogram(1000);
    for (let i = 1; i <= 100; i++) h.record(i);
    expect(h.summary()).toEqual({ count: 100, p50: 50, p99: 99, max: 100 });
  });

  it('keeps only the most recent samples once full, counting them all', () => {
    const h = new LatencyHistogram(10);
    for (let i = 1; i <= 25; i++) h.record(i);
    expect(h.summary()).toEqual({ count: 25, p50: 20, p99: 25, max: 25 });
  });

  it('starts afresh after a reset', () => {
    const h = new LatencyHistogram(10);
    h.record(5000);
    h.reset();
    expect(h.summary()).toEqual({ count: 0, p50: null, p99: null, max: null });
    h.record(7);
    expect(h.summary()).toMatchObject({ count: 1, p99: 7 });
    // A reset leaves no count behind: a smaller sample counted before it must not answer after it.
    h.reset();
    h.record(9000);
    expect(h.summary()).toEqual({ count: 1, p50: 9000, p99: 9000, max: 9000 });
    // Nor does a reset of a histogram that never counted anything.
    const fresh = new LatencyHistogram(10);
    fresh.reset();
    fresh.record(3);
    expect(fresh.summary()).toEqual({ count: 1, p50: 3, p99: 3, max: 3 });
  });
});

describe('LatencyHistogram against the exact percentiles of its window', () => {
  const exact = (window: number[], p: number): number => {
    const sorted = [...window].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  };

  it('is within 0.025 % of the exact nearest-rank p50/p99 and exact for the max, whatever the samples and the window', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.array(fc.oneof(fc.integer({ min: 0, max: 600_000 }), fc.double({ min: 0.001, max: 3_600_000, noNaN: true })), { minLength: 1, maxLength: 1000 }),
        (capacity, samples) => {
          const h = new LatencyHistogram(capacity);
          for (const s of samples) h.record(s);
          const window = samples.slice(-capacity);
          const summary = h.summary();
          expect(summary.count).toBe(samples.length);
          expect(summary.max).toBe(Math.max(...window));
          for (const [p, got] of [[50, summary.p50], [99, summary.p99]] as const) {
            const want = exact(window, p);
            expect(got).not.toBeNull();
            expect(Math.abs(got! - want)).toBeLessThanOrEqual(want / 4096 + 2 ** -10);
          }
        },
      ),
    );
  });

  it('gives whole milliseconds below 8,192 exactly (every latency of a window up to 8 s)', () => {
    const h = new LatencyHistogram(500);
    const samples = Array.from({ length: 2000 }, (_, i) => (i * 7919) % 8192);
    for (const s of samples) h.record(s);
    const window = samples.slice(-500);
    expect(h.summary()).toEqual({ count: 2000, p50: exact(window, 50), p99: exact(window, 99), max: Math.max(...window) });
  });

  it('reports a p99 of 5,003 ms as 5,003, not as the 5,000 a coarser bucket starts at', () => {
    const h = new LatencyHistogram(100);
    for (let i = 0; i < 100; i++) h.record(i < 98 ? 100 : 5_003);
    expect(h.summary().p99).toBe(5_003);
  });
});
