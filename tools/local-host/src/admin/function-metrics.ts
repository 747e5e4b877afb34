import { LatencyHistogram } from './latency-histogram';

export interface FunctionMetricsSnapshot {
  invocations: number;
  successes: number;
  failures: number;
  retries: number;
  eventsProcessed: number;
  /** Event Hubs only: partitions this host stopped because it could not renew their ownership in time (OwnershipLost). */
  ownershipLost?: number;
  /** Event Hubs only: enqueuedTimeUtc of each event to the end of its successful invocation. */
  enqueueToCompletionMs?: { count: number; p50: number | null; p99: number | null; max: number | null };
}

/** Counters for one function; drivers record, the admin API reads. */
export class FunctionMetrics {
  invocations = 0;
  successes = 0;
  failures = 0;
  retries = 0;
  eventsProcessed = 0;
  ownershipLost = 0;
  readonly latency = new LatencyHistogram();

  constructor(private readonly tracksLatency: boolean) {}

  /** Starts counting afresh (benchmarks: measure a steady state after a warm-up). */
  reset(): void {
    this.invocations = 0;
    this.successes = 0;
    this.failures = 0;
    this.retries = 0;
    this.eventsProcessed = 0;
    this.ownershipLost = 0;
    this.latency.reset();
  }

  snapshot(): FunctionMetricsSnapshot {
    const base = { invocations: this.invocations, successes: this.successes, failures: this.failures, retries: this.retries, eventsProcessed: this.eventsProcessed };
    return this.tracksLatency ? { ...base, ownershipLost: this.ownershipLost, enqueueToCompletionMs: this.latency.summary() } : base;
  }
}
