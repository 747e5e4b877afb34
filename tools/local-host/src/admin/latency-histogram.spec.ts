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
  });
});
