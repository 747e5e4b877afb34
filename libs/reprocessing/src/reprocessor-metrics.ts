import type { Metrics } from '@telemetry/observability';
import type { ReprocessAction, ReprocessOutcome } from './reprocess-outcome';

export type CountsByCode = Record<string, number>;

export interface ReprocessorMetricsSnapshot {
  /** Since this instance started (ISO). */
  since: string;
  /** Letters applied to the store (written or already there). */
  reprocessed: CountsByCode;
  parked: CountsByCode;
  /** Retries scheduled (still pending) and breaker deferrals (still pending), by code. */
  retryScheduled: CountsByCode;
  deferred: CountsByCode;
}

const KEY: Record<ReprocessAction, keyof Omit<ReprocessorMetricsSnapshot, 'since'>> = {
  applied: 'reprocessed',
  parked: 'parked',
  'retry-scheduled': 'retryScheduled',
  deferred: 'deferred',
};

/**
 * Per-instance counters by outcome and issue code. The durable view (queue depth, parked counts)
 * comes from storage; these say what this instance did, next to the structured log per letter.
 */
export class ReprocessorMetrics {
  private readonly since = new Date().toISOString();
  private readonly counts: Omit<ReprocessorMetricsSnapshot, 'since'> = { reprocessed: {}, parked: {}, retryScheduled: {}, deferred: {} };

  /** `exported`: where the same outcomes go as `reprocessor.outcomes` (Azure Monitor, local snapshot). */
  constructor(private readonly exported?: Metrics) {}

  record(outcome: ReprocessOutcome): void {
    const bucket = this.counts[KEY[outcome.action]];
    bucket[outcome.code] = (bucket[outcome.code] ?? 0) + 1;
    this.exported?.count('reprocessor.outcomes', 1, { outcome: outcome.action, code: outcome.code });
  }

  snapshot(): ReprocessorMetricsSnapshot {
    const copy = (c: CountsByCode): CountsByCode => ({ ...c });
    return {
      since: this.since,
      reprocessed: copy(this.counts.reprocessed),
      parked: copy(this.counts.parked),
      retryScheduled: copy(this.counts.retryScheduled),
      deferred: copy(this.counts.deferred),
    };
  }
}
