import type { FailureCounts } from './failure-counts';

/** A failure window as read by the breaker. */
export interface FailureWindow {
  total: number;
  byCode: FailureCounts;
  /** First and last bucket start counted (epoch ms); equal to `to` + bucket when nothing is counted. */
  from: number;
  to: number;
}

export interface WindowOptions {
  /** Only buckets that start at or after this instant (epoch ms) count, e.g. the last close. */
  notBefore?: number;
  /** Reference time (epoch ms); defaults to the counter's clock. */
  now?: number;
}

/**
 * A rolling-window failure count shared by every ingestion instance. Writers call `record`
 * once per batch (or less often); the breaker reads `windowTotal`.
 */
export interface FailureCounter {
  /**
   * Adds `counts` to the bucket holding `at` (epoch ms: when they happened; default the counter's
   * clock). A call that rejects has added nothing as far as this writer is concerned: recording the
   * same counts again must not count them twice even if the failed write landed (a timeout).
   */
  record(counts: FailureCounts, at?: number): Promise<void>;
  /** Failures recorded in the last `windowMs` (bucket granularity: may include one older partial bucket). */
  windowTotal(windowMs: number, options?: WindowOptions): Promise<FailureWindow>;
}
