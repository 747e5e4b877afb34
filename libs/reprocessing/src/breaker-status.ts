/** The cross-instance circuit breaker's state as the reprocessor needs it. */
export interface BreakerStatus {
  state: 'closed' | 'open' | 'half-open';
  /** When an open breaker expects to try again (ms from now), when it says. */
  retryAfterMs?: number;
}

/**
 * Where the breaker state comes from (apps/circuit-breaker's `GET /api/breaker` in production).
 * The reprocessor asks before every store attempt and leaves letters for later while it is open.
 */
export interface BreakerStatusSource {
  current(): Promise<BreakerStatus>;
}

/** No breaker configured: always closed. */
export const alwaysClosedBreaker: BreakerStatusSource = { current: async () => ({ state: 'closed' }) };
