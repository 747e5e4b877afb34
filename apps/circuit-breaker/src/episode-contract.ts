import type { BreakerPolicy, NoticeKind } from '@telemetry/breaker-rules';
import type { FailureCounts, FailureWindow } from '@telemetry/failure-tracking';

/** Input of an episode orchestration. Policy travels in the input so replays stay deterministic. */
export interface EpisodeInput {
  trip: { reason: string; by: string; counts: FailureCounts };
  policy: BreakerPolicy;
  /** Set when the episode continues as new (next approval round). */
  resume?: { episode: number; round: number; kind: Exclude<NoticeKind, 'tripped' | 'closed'>; reason: string; counts: FailureCounts };
}

export type EpisodeResult =
  | { outcome: 'duplicate'; episode: number }
  | { outcome: 'approved'; episode: number; by: string }
  | { outcome: 'closed-by-probe'; episode: number; failures: number };

/** The payload of the approval event the approval endpoint raises. */
export interface ApprovalEvent {
  nonce: string;
  by: string;
  requestId: string;
}

export interface NotifyInput {
  kind: NoticeKind;
  episode: number;
  instanceId: string;
  at: string;
  reason: string;
  counts: FailureCounts;
  /** With nonce and expiresAt the activity signs an approval link. */
  nonce?: string;
  expiresAt?: string;
}

export interface ReadWindowInput {
  /** Count failures since this instant (epoch ms), e.g. the start of a half-open trial. */
  sinceMs: number;
}

export type ReadWindowOutput = Pick<FailureWindow, 'total' | 'byCode'>;
