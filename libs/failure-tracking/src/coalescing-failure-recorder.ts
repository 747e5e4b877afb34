import { addCounts, totalOf, type FailureCounts } from './failure-counts';
import type { FailureCounter } from './failure-counter';

/**
 * The ingestion side: implements the pipeline's FailureReporter (`record(counts)` once per batch).
 * Counts from concurrent batches on one instance coalesce: at most one write is in flight, and
 * whatever arrives meanwhile goes out as one write after it, so an outage failing thousands of
 * events per second costs each instance about one table write per round trip. A failed write
 * keeps its counts for the next one (they land in a later bucket rather than being lost).
 */
export class CoalescingFailureRecorder {
  private pending: FailureCounts = {};
  private tail: Promise<void> = Promise.resolve();
  private next?: Promise<void>;

  constructor(private readonly counter: FailureCounter) {}

  record(counts: FailureCounts): Promise<void> {
    addCounts(this.pending, counts);
    if (totalOf(this.pending) === 0) return Promise.resolve();
    this.next ??= this.scheduleWrite();
    return this.next;
  }

  /** Resolves once everything recorded so far has been written (or has failed). */
  async flush(): Promise<void> {
    if (this.next) await this.next.catch(() => undefined);
    await this.tail;
  }

  private scheduleWrite(): Promise<void> {
    const write = this.tail.then(async () => {
      this.next = undefined;
      const batch = this.pending;
      this.pending = {};
      if (totalOf(batch) === 0) return;
      try {
        await this.counter.record(batch);
      } catch (error) {
        addCounts(this.pending, batch);
        throw error;
      }
    });
    this.tail = write.catch(() => undefined);
    return write;
  }
}
