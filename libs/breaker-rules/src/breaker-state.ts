import type { BreakerPhase, BreakerSwitchReport } from '@telemetry/contracts';
import type { FailureCounts } from '@telemetry/failure-tracking';


/** One recorded transition: who, why and when (ISO time). */
export interface BreakerTransition {
  from: BreakerPhase;
  to: BreakerPhase;
  at: string;
  by: string;
  reason: string;
  episode: number;
  counts?: FailureCounts;
}

/** The approval link currently offered to the operator (its nonce makes the token single-use). */
export interface PendingApproval {
  nonce: string;
  expiresAt: string;
  instanceId: string;
}

/** Who consumed the last approval, so the approval endpoint can tell its own request won. */
export interface ApprovalReceipt {
  nonce: string;
  requestId: string;
  by: string;
  at: string;
}

export interface BreakerState {
  status: BreakerPhase;
  /** Increments on every closed -> open trip; an episode ends when the breaker closes. */
  episode: number;
  /** When the current status began (ISO); the monitor ignores failures from before the last close. */
  since: string;
  /** The orchestration that owns the current episode. */
  instanceId?: string;
  trip?: { reason: string; by: string; at: string; counts: FailureCounts };
  approval?: PendingApproval;
  lastApproval?: ApprovalReceipt;
  /** Nonces consumed or superseded (most recent last, bounded): a token carrying one is refused. */
  spentNonces: string[];
  /** Trip requests ignored because the breaker was already open (current episode). */
  duplicateTrips: number;
  /** Most recent last, bounded. */
  transitions: BreakerTransition[];
  /** The ingestion switch's progress towards what the phase implies (absent before the first trip). */
  switch?: BreakerSwitchReport;
  /**
   * An operator approved resuming this episode; the breaker closes only once the switch has
   * resumed ingestion (until then it stays open: it never claims a state the switch has not reached).
   */
  resumeApproved?: { by: string; at: string };
}

export const MAX_TRANSITIONS = 100;
export const MAX_SPENT_NONCES = 50;

export function initialBreakerState(at = new Date(0).toISOString()): BreakerState {
  return { status: 'closed', episode: 0, since: at, spentNonces: [], duplicateTrips: 0, transitions: [] };
}
