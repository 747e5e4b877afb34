import type { BreakerPolicy, NoticeKind } from '@telemetry/breaker-rules';
import type { FailureCounts, FailureWindow } from '@telemetry/failure-tracking';

/** Input of an episode orchestration. Policy travels in the input so replays stay deterministic. */
export interface EpisodeInput {
  trip: { reason: string; by: string; counts: FailureCounts };
  policy: BreakerPolicy;
  /** Set when the episode continues as new (next approval round). */
  resume?: { episode: number; round: number; kind: 'reminder' | 'reopened'; reason: string; counts: FailureCounts };
  /** Set when the episode continues as new while the switch keeps failing (keeps the history short). */
  drive?: SwitchDrive;
  /**
   * Set by the monitor's watchdog: the orchestration owning the current episode ended while the
   * breaker was not closed (failed, terminated). This one takes the episode over (entity `adopt`,
   * only if `expectedInstanceId` still owns it), pauses ingestion and offers a fresh approval.
   */
  adopt?: { expectedInstanceId: string; reason: string };
}

/** What the episode does once the switch has reached its target. */
export type AfterSwitch =
  | { step: 'offer'; episode: number; round: number; notice: { kind: 'tripped' | 'recovered'; reason: string; counts: FailureCounts } }
  | { step: 'next-round'; episode: number; round: number; reason: string; counts: FailureCounts }
  | { step: 'close-approved'; episode: number; by: string }
  | { step: 'trial'; episode: number; round: number };

/** Driving the ingestion switch to pause or resume, retried with backoff until it works. */
export interface SwitchDrive {
  action: 'pause' | 'resume';
  /** Failed calls so far (carried across continue-as-new). */
  attempts: number;
  then: AfterSwitch;
}

/** Input of the pause/resume activities. */
export interface SwitchInput {
  episode: number;
  /** 1 for the first call of this drive. */
  attempt: number;
}

/**
 * What a pause/resume activity reports: it never throws, so the orchestration (not the activity
 * retry policy, which gives up) decides to retry, with durable timers, without end.
 */
export type SwitchResult = { ok: true; target: string } | { ok: false; code: string };

export type EpisodeResult =
  | { outcome: 'duplicate'; episode: number }
  | { outcome: 'not-adopted'; episode: number }
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
  /** switch-failing / switch-recovered notices. */
  switch?: { target: 'paused' | 'running'; attempts: number; lastError?: string; nextAttemptAt?: string };
  /** What opened the episode (the trip's `by`: `monitor`, or `manual:...`). Absent in older histories: the threshold. */
  trigger?: 'threshold' | 'manual';
}

export interface ReadWindowInput {
  /** Count failures since this instant (epoch ms), e.g. the start of a half-open trial. */
  sinceMs: number;
}

export type ReadWindowOutput = Pick<FailureWindow, 'total' | 'byCode'>;
