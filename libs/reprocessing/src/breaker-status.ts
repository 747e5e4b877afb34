import type { BreakerPhase } from '@telemetry/contracts';

/** The cross-instance circuit breaker as the reprocessor needs it: its phase, and when to look again. */
export interface BreakerReading {
  state: BreakerPhase;
  /** When an open breaker expects to try again (ms from now), when it says. */
  retryAfterMs?: number;
}

/**
 * Where the breaker's phase comes from (apps/circuit-breaker's `GET /api/breaker` in production).
 * The reprocessor asks before every store attempt and leaves letters for later while it is open.
 */
export interface BreakerStatusSource {
  current(): Promise<BreakerReading>;
}

/** No breaker configured: always closed. */
export const alwaysClosedBreaker: BreakerStatusSource = { current: async () => ({ state: 'closed' }) };
