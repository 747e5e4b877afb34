import { ISSUE_CODES, isIssueCode } from '@telemetry/core';
export type BreakerMode = 'manual' | 'auto-probe';

/** The numbers that drive an episode; passed as orchestration input so replays stay deterministic. */
export interface BreakerPolicy {
  mode: BreakerMode;
  /** Trip when more than this many failures fall in the window (BREAKER_THRESHOLD). */
  threshold: number;
  /** BREAKER_WINDOW_SECONDS, in ms. */
  windowMs: number;
  /** Wait before a half-open probe in auto-probe mode (BREAKER_COOLDOWN_SECONDS), in ms. */
  cooldownMs: number;
  /** Life of an approval link (BREAKER_APPROVAL_TTL_SECONDS), in ms; a new one is sent when it lapses. */
  approvalTtlMs: number;
  /** How long a half-open trial runs (BREAKER_PROBE_SECONDS), in ms. */
  probeMs: number;
  /** The trial fails when more than this many failures occur during it (BREAKER_PROBE_THRESHOLD). */
  probeThreshold: number;
}

/**
 * The failures that say something downstream is failing: retryable codes (store unavailable,
 * throttled, timeouts, dead-letter queue down, unknown). Bad input (EVENT_*, STORE_REJECTED) is
 * dead-lettered and parked, but a stream of corrupt events must not stop ingestion for everyone.
 */
export function downstreamFailures(byCode: Partial<Record<string, number>>): number {
  let total = 0;
  for (const [code, n] of Object.entries(byCode)) {
    const known = isIssueCode(code) ? ISSUE_CODES[code] : undefined;
    if (!known || known.retryable) total += n ?? 0;
  }
  return total;
}

/** "More than `threshold` failures in the window" (the issue: more than 100 in 30 s). */
export function crossesThreshold(total: number, threshold: number): boolean {
  return total > threshold;
}
