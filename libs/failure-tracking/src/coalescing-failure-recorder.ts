import { addCounts, totalOf, type FailureCounts } from './failure-counts';
import type { FailureCounter } from './failure-counter';
import { FAILURE_RETENTION_MS } from './failure-retention';
import { bucketStart } from './time-buckets';

export interface CoalescingFailureRecorderOptions {
  clock?: () => number;
  /**
   * Time resolution of held counts (ms, 5 s): counts are kept and written per slot of this width,
   * stamped with the slot's start. The counter's bucket width must be a multiple of it (the table's
   * is 5 s), so a count lands in the bucket of the time it was reported.
   */
  resolutionMs?: number;
  /** Counts older than this (ms) are dropped instead of written (FAILURE_RETENTION_MS, 1 hour). */
  maxAgeMs?: number;
}

/**
 * The ingestion side: implements the pipeline's FailureReporter (`record(counts)` once per batch).
 * Counts from concurrent batches on one instance coalesce: at most one write is in flight, and
 * whatever arrives meanwhile goes out with it, so an outage failing thousands of events per second
 * costs each instance about one table write per round trip. Counts keep the time they were
 * reported: a write that fails keeps them, stamped, for a later one, which puts them in their own
 * (old) bucket, so failures held through a failure-table outage cannot count in a window after it
 * (an approval's close would otherwise be undone by the failures that caused the trip). Held counts
 * older than `maxAgeMs` are dropped (summed in `dropped`) rather than written.
 */
export class CoalescingFailureRecorder {
  /** Counts not yet written, by slot start (epoch ms). */
  private pending = new Map<number, FailureCounts>();
  private tail: Promise<void> = Promise.resolve();
  private next?: Promise<void>;
  private readonly clock: () => number;
  private readonly resolutionMs: number;
  private readonly maxAgeMs: number;
  /** Counts dropped because they could no longer matter by the time they could be written. */
  readonly dropped: FailureCounts = {};

  constructor(
    private readonly counter: FailureCounter,
    options: CoalescingFailureRecorderOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
    this.resolutionMs = Math.max(1, options.resolutionMs ?? 5_000);
    this.maxAgeMs = options.maxAgeMs ?? FAILURE_RETENTION_MS;
  }

  record(counts: FailureCounts): Promise<void> {
    const clean = addCounts({}, counts);
    if (totalOf(clean) === 0 && this.pending.size === 0) return Promise.resolve();
    if (totalOf(clean) > 0) this.hold(bucketStart(this.clock(), this.resolutionMs), clean);
    this.next ??= this.scheduleWrite();
    return this.next;
  }

  /** Resolves once everything recorded so far has been written (or has failed). */
  async flush(): Promise<void> {
    if (this.next) await this.next.catch(() => undefined);
    await this.tail;
  }

  private hold(slot: number, counts: FailureCounts): void {
    this.pending.set(slot, addCounts(this.pending.get(slot) ?? {}, counts));
  }

  private scheduleWrite(): Promise<void> {
    const write = this.tail.then(async () => {
      this.next = undefined;
      const held = this.pending;
      this.pending = new Map();
      const oldest = this.clock() - this.maxAgeMs;
      // Newest first: the counts the breaker's current window reads land before older ones.
      const slots = [...held.entries()].sort(([a], [b]) => b - a);
      for (let i = 0; i < slots.length; i++) {
        const [slot, counts] = slots[i]!;
        if (slot < oldest) {
          addCounts(this.dropped, counts);
          continue;
        }
        try {
          await this.counter.record(counts, slot);
        } catch (error) {
          for (const [s, c] of slots.slice(i)) this.hold(s, c);
          throw error;
        }
      }
    });
    this.tail = write.catch(() => undefined);
    return write;
  }
}
