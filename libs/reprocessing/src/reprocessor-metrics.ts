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
  /** Applied or parked again under an id this instance had already counted (a second copy of a letter). */
  duplicates: CountsByCode;
}

/** How many applied/parked letter ids an instance remembers to count each letter once. */
export const COUNTED_IDS_REMEMBERED = 10_000;

const KEY: Record<ReprocessAction, keyof Omit<ReprocessorMetricsSnapshot, 'since' | 'duplicates'>> = {
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
  private readonly counts: Omit<ReprocessorMetricsSnapshot, 'since'> = { reprocessed: {}, parked: {}, retryScheduled: {}, deferred: {}, duplicates: {} };
  /** Letter ids already counted as applied or parked (insertion order: the oldest is forgotten first). */
  private readonly counted = new Set<string>();

  /** `exported`: where the same outcomes go as `reprocessor.outcomes` (Azure Monitor, local snapshot). */
  constructor(private readonly exported?: Metrics) {}

  record(outcome: ReprocessOutcome): void {
    // A letter's copies share its id: re-applying or re-parking one is idempotent and counted once.
    const terminal = outcome.action === 'applied' || outcome.action === 'parked';
    const key = `${outcome.action}:${outcome.deadLetterId}`;
    if (terminal && this.counted.has(key)) {
      this.counts.duplicates[outcome.code] = (this.counts.duplicates[outcome.code] ?? 0) + 1;
      return;
    }
    if (terminal) {
      this.counted.add(key);
      if (this.counted.size > COUNTED_IDS_REMEMBERED) this.counted.delete(this.counted.values().next().value as string);
    }
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
      duplicates: copy(this.counts.duplicates),
    };
  }
}
