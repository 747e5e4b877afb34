import { addCounts, totalOf, type FailureCounts } from '../failure-counts';
import type { FailureCounter, FailureWindow, WindowOptions } from '../failure-counter';
import { bucketStart, windowBuckets } from '../time-buckets';

/** Unit-test fake with the same bucket semantics as the table adapter. */
export class InMemoryFailureCounter implements FailureCounter {
  readonly buckets = new Map<number, FailureCounts>();
  writes = 0;
  failNext = 0;

  constructor(
    private readonly clock: () => number = Date.now,
    readonly bucketMs = 5_000,
  ) {}

  async record(counts: FailureCounts, at?: number): Promise<void> {
    this.writes++;
    if (this.failNext > 0) {
      this.failNext--;
      throw Object.assign(new Error('failure table unavailable'), { code: 'ECONNREFUSED' });
    }
    const start = bucketStart(at ?? this.clock(), this.bucketMs);
    this.buckets.set(start, addCounts(this.buckets.get(start) ?? {}, counts));
  }

  async prune(olderThanMs: number): Promise<number> {
    const cutoff = bucketStart(this.clock() - olderThanMs, this.bucketMs);
    let deleted = 0;
    for (const start of [...this.buckets.keys()]) if (start < cutoff) deleted += Number(this.buckets.delete(start));
    return deleted;
  }

  async windowTotal(windowMs: number, options: WindowOptions = {}): Promise<FailureWindow> {
    const { first, last } = windowBuckets(options.now ?? this.clock(), windowMs, this.bucketMs, options.notBefore);
    const byCode: FailureCounts = {};
    for (const [start, counts] of this.buckets) if (start >= first && start <= last) addCounts(byCode, counts);
    return { total: totalOf(byCode), byCode, from: first, to: last };
  }
}
