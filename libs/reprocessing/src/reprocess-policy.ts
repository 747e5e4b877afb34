/** The reprocessor's retry budget and delays (settings named in apps/dead-letter-reprocessor/src/config.ts). */
export interface ReprocessPolicy {
  /** Attempts for retryable codes before the letter is parked (REPROCESS_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** Attempts for unknown codes before the letter is parked (REPROCESS_UNKNOWN_MAX_ATTEMPTS). */
  unknownMaxAttempts: number;
  /** First retry delay in seconds; doubles per attempt (REPROCESS_BACKOFF_BASE_SECONDS). */
  backoffBaseSeconds: number;
  /** Cap on one retry delay in seconds (REPROCESS_BACKOFF_MAX_SECONDS). */
  backoffMaxSeconds: number;
  /** Delay before looking again while the circuit breaker is open, when it names none (BREAKER_DEFER_SECONDS). */
  breakerDeferSeconds: number;
}

/** Azure Queue storage's cap on a message's visibility timeout: 7 days. */
export const MAX_VISIBILITY_SECONDS = 7 * 24 * 3600;

/**
 * The delay before retry number `attempt` (1-based): exponential, capped, with "equal jitter"
 * (half fixed, half random) so that letters failed together do not come back together, yet no
 * retry comes back immediately. Not a retry loop: the retry is a re-enqueued message that
 * becomes visible after this many seconds.
 */
export function retryDelaySeconds(attempt: number, policy: ReprocessPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.backoffMaxSeconds, policy.backoffBaseSeconds * 2 ** Math.max(0, attempt - 1), MAX_VISIBILITY_SECONDS);
  return Math.max(1, Math.round(ceiling / 2 + (random() * ceiling) / 2));
}
