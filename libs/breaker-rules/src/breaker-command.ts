import type { BreakerSwitchReport } from '@telemetry/contracts';
import type { FailureCounts } from '@telemetry/failure-tracking';

/** What the orchestration learned of the switch: the entity records it for the status endpoint. */
export type SwitchProgressCommand = { op: 'switchProgress'; at: string } & Pick<BreakerSwitchReport, 'target' | 'state' | 'attempts' | 'lastError' | 'nextAttemptAt'>;

/** Operations of the breaker entity. `at` is an ISO time supplied by the (deterministic) caller. */
export type BreakerCommand =
  | { op: 'trip'; at: string; by: string; reason: string; counts: FailureCounts; instanceId: string }
  | { op: 'offerApproval'; at: string; instanceId: string; nonce: string; expiresAt: string }
  | { op: 'approve'; at: string; nonce: string; by: string; requestId: string }
  | { op: 'halfOpen'; at: string; by: string; reason: string }
  | { op: 'close'; at: string; by: string; reason: string }
  | { op: 'reopen'; at: string; by: string; reason: string; counts: FailureCounts }
  | SwitchProgressCommand
  | { op: 'withdrawApproval'; at: string }
  /**
   * A new orchestration takes over an episode whose owner ended while the breaker was not closed
   * (failed, terminated): only if `expectedInstanceId` still owns it, so one watchdog wins.
   */
  | { op: 'adopt'; at: string; by: string; reason: string; instanceId: string; expectedInstanceId: string };

export type BreakerOperation = BreakerCommand['op'];

export const BREAKER_OPERATIONS: readonly BreakerOperation[] = ['trip', 'offerApproval', 'approve', 'halfOpen', 'close', 'reopen', 'switchProgress', 'withdrawApproval', 'adopt'];

export type RefusalReason = 'not-open' | 'not-half-open' | 'not-approved' | 'unknown-nonce' | 'spent' | 'expired' | 'not-owner' | 'already-open';

export type BreakerOutcome =
  | { kind: 'tripped'; episode: number }
  | { kind: 'duplicate'; episode: number; status: string }
  | { kind: 'done'; episode: number }
  | { kind: 'refused'; reason: RefusalReason; episode: number };
