import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import { crossesThreshold, type BreakerCommand, type BreakerOutcome } from '@telemetry/breaker-rules';
import type { FailureCounts } from '@telemetry/failure-tracking';
import type { AfterSwitch, ApprovalEvent, EpisodeInput, EpisodeResult, NotifyInput, ReadWindowOutput, SwitchDrive, SwitchResult } from '../episode-contract';
import {
  APPROVAL_EVENT, BREAKER_ENTITY, BREAKER_ENTITY_KEY, EPISODE_ORCHESTRATOR, NOTIFY_OPERATOR_ACTIVITY, PAUSE_INGESTION_ACTIVITY,
  READ_FAILURE_WINDOW_ACTIVITY, RESUME_INGESTION_ACTIVITY,
} from '../names';

// A failing switch is retried without end, on durable timers: 5 s, doubling, at most 5 minutes apart.
const SWITCH_FIRST_RETRY_MS = 5_000;
const SWITCH_MAX_RETRY_MS = 300_000;
// Tries per execution before continuing as new (about 75 minutes at the cap): keeps the history short.
export const SWITCH_TRIES_PER_EXECUTION = 20;
// Notices are best effort: a few tries, then the episode goes on (the status endpoint still shows it).
const NOTIFY_RETRY = Object.assign(new df.RetryOptions(2_000, 3), { backoffCoefficient: 2 });
// Reading the failure window after a trial: a few tries on durable timers (a storage blip: 2, 4,
// 8 s apart), then the trial counts as failed. Retried here, not with callActivityWithRetry, so
// the first try is the same action an episode already in flight recorded (replay stays valid).
export const READ_WINDOW_TRIES = 4;
const READ_WINDOW_FIRST_RETRY_MS = 2_000;

/** Wait before the next switch call after `attempts` failures (ms). */
export function switchRetryDelayMs(attempts: number): number {
  return Math.min(SWITCH_MAX_RETRY_MS, SWITCH_FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
}

/** The operator hears of a failing switch at the first failure, then every 10th. */
const tellOperator = (attempts: number): boolean => attempts === 1 || attempts % 10 === 0;

/**
 * One breaker episode: trip -> pause ingestion -> notify -> wait for an approval, raced with a
 * timer (token expiry in manual mode: a reminder round; cooldown in auto-probe mode: a half-open
 * trial that closes the breaker or re-opens it). Long waits continue as new to keep history short.
 * All state changes go through the `breaker` entity, which decides (a duplicate trip ends here).
 *
 * The switch is driven to its target until it gets there (issue 13 item 9): a failed pause or
 * resume is recorded on the entity (`switch: failing`, shown on the status endpoint and the
 * dashboard), the operator is told, and the call is retried after a durable timer, without end.
 * The breaker claims nothing the switch has not reached: the approval is offered once ingestion is
 * paused, the breaker closes once it runs again, half-open begins once the trial's resume worked.
 */
export const breakerEpisode: OrchestrationHandler = function* (context: OrchestrationContext): Generator<Task, EpisodeResult | undefined, unknown> {
  const ctx = context.df;
  const input = ctx.getInput() as EpisodeInput;
  const { policy } = input;
  const breaker = new df.EntityId(BREAKER_ENTITY, BREAKER_ENTITY_KEY);
  const now = (): string => ctx.currentUtcDateTime.toISOString();
  const call = (command: BreakerCommand): Task => ctx.callEntity(breaker, command.op, command);
  const nextRound = (episode: number, round: number, kind: 'reminder' | 'reopened', reason: string, counts: FailureCounts): undefined => {
    ctx.continueAsNew({ trip: input.trip, policy, resume: { episode, round, kind, reason, counts } });
    return undefined;
  };

  if (input.drive) {
    if (!(yield* driveSwitch(input.drive))) return undefined;
    return yield* after(input.drive.then);
  }
  if (input.adopt) {
    const { expectedInstanceId, reason } = input.adopt;
    const adopted = (yield call({ op: 'adopt', at: now(), by: 'watchdog', reason, instanceId: ctx.instanceId, expectedInstanceId })) as BreakerOutcome;
    if (adopted.kind !== 'done') {
      // Another watchdog run adopted it first, or the breaker closed meanwhile: nothing to do.
      ctx.setCustomStatus({ phase: 'not-adopted', episode: adopted.episode });
      return { outcome: 'not-adopted', episode: adopted.episode };
    }
    const then: AfterSwitch = { step: 'offer', episode: adopted.episode, round: 0, notice: { kind: 'recovered', reason, counts: {} } };
    if (!(yield* driveSwitch({ action: 'pause', attempts: 0, then }))) return undefined;
    return yield* after(then);
  }
  if (input.resume) {
    const { episode, round, kind, reason, counts } = input.resume;
    return yield* offerAndWait(episode, round, { kind, reason, counts });
  }
  const decision = (yield call({ op: 'trip', at: now(), instanceId: ctx.instanceId, ...input.trip })) as BreakerOutcome;
  if (decision.kind !== 'tripped') {
    ctx.setCustomStatus({ phase: 'duplicate', episode: decision.episode });
    return { outcome: 'duplicate', episode: decision.episode };
  }
  const then: AfterSwitch = { step: 'offer', episode: decision.episode, round: 0, notice: { kind: 'tripped', reason: input.trip.reason, counts: input.trip.counts } };
  if (!(yield* driveSwitch({ action: 'pause', attempts: 0, then }))) return undefined;
  return yield* after(then);

  function* after(then: AfterSwitch): Generator<Task, EpisodeResult | undefined, unknown> {
    switch (then.step) {
      case 'offer': return yield* offerAndWait(then.episode, then.round, then.notice);
      case 'next-round': return nextRound(then.episode, then.round, 'reopened', then.reason, then.counts);
      case 'close-approved': return yield* closeApproved(then.episode, then.by);
      case 'trial': return yield* trial(then.episode, then.round);
    }
  }

  /** Calls the switch until it reaches the target; false when it continued as new to keep going. */
  function* driveSwitch(drive: SwitchDrive): Generator<Task, boolean, unknown> {
    const episode = drive.then.episode;
    const target = drive.action === 'pause' ? 'paused' : 'running';
    const activity = drive.action === 'pause' ? PAUSE_INGESTION_ACTIVITY : RESUME_INGESTION_ACTIVITY;
    let attempts = drive.attempts;
    for (let tries = 0; ; tries++) {
      if (tries === SWITCH_TRIES_PER_EXECUTION) {
        ctx.continueAsNew({ trip: input.trip, policy, drive: { ...drive, attempts } });
        return false;
      }
      ctx.setCustomStatus({ phase: drive.action === 'pause' ? 'pausing' : 'resuming', episode, failedTries: attempts });
      const result = (yield ctx.callActivity(activity, { episode, attempt: attempts + 1 })) as SwitchResult | { ok?: undefined } | undefined;
      if (result?.ok !== false) {
        yield call({ op: 'switchProgress', at: now(), target, state: 'ok' });
        if (attempts > 0) {
          yield* notify({ kind: 'switch-recovered', episode, instanceId: ctx.instanceId, at: now(), reason: `ingestion ${target} after ${attempts} failed tries`, counts: {}, switch: { target, attempts } });
        }
        return true;
      }
      attempts += 1;
      const nextAttemptAt = new Date(ctx.currentUtcDateTime.getTime() + switchRetryDelayMs(attempts)).toISOString();
      yield call({ op: 'switchProgress', at: now(), target, state: 'failing', attempts, lastError: result.code, nextAttemptAt });
      ctx.setCustomStatus({ phase: drive.action === 'pause' ? 'pausing' : 'resuming', episode, failedTries: attempts, nextAttemptAt });
      if (tellOperator(attempts)) {
        yield* notify({
          kind: 'switch-failing', episode, instanceId: ctx.instanceId, at: now(), counts: {},
          reason: `the ${drive.action} call failed ${attempts} ${attempts === 1 ? 'time' : 'times'} (${result.code}); retrying until it works`,
          switch: { target, attempts, lastError: result.code, nextAttemptAt },
        });
      }
      yield ctx.createTimer(new Date(nextAttemptAt));
    }
  }

  /** Offer a single-use approval (ingestion is paused); the link is valid for as long as this round waits. */
  function* offerAndWait(episode: number, round: number, notice: Pick<NotifyInput, 'kind' | 'reason' | 'counts'>): Generator<Task, EpisodeResult | undefined, unknown> {
    const waitMs = policy.mode === 'auto-probe' ? policy.cooldownMs : policy.approvalTtlMs;
    const deadline = new Date(ctx.currentUtcDateTime.getTime() + waitMs);
    const nonce = ctx.newGuid(ctx.instanceId);
    yield call({ op: 'offerApproval', at: now(), instanceId: ctx.instanceId, nonce, expiresAt: deadline.toISOString() });
    const trigger = input.trip.by.startsWith('manual') ? 'manual' as const : 'threshold' as const;
    const notified = yield* notify({ ...notice, episode, instanceId: ctx.instanceId, at: now(), nonce, expiresAt: deadline.toISOString(), trigger });
    ctx.setCustomStatus({ phase: 'awaiting-approval', episode, round, until: deadline.toISOString(), notified });

    for (;;) {
      const approval = ctx.waitForExternalEvent(APPROVAL_EVENT);
      const timer = ctx.createTimer(deadline);
      const winner = yield ctx.Task.any([approval, timer]);
      if (winner === timer) break;
      timer.cancel();
      const event = approval.result as ApprovalEvent;
      const verdict = (yield call({ op: 'approve', at: now(), nonce: event.nonce, by: event.by, requestId: event.requestId })) as BreakerOutcome;
      if (verdict.kind !== 'done') continue; // a stale or replayed approval: keep waiting, change nothing
      const then: AfterSwitch = { step: 'close-approved', episode, by: event.by };
      if (!(yield* driveSwitch({ action: 'resume', attempts: 0, then }))) return undefined;
      return yield* closeApproved(episode, event.by);
    }

    // The link lapsed unanswered: send a fresh one (the old nonce is spent by the next offer).
    if (policy.mode === 'manual') return nextRound(episode, round + 1, 'reminder', notice.reason, notice.counts);
    // Cooldown over: withdraw the offer, resume for a trial once the switch has done it.
    yield call({ op: 'withdrawApproval', at: now() });
    const then: AfterSwitch = { step: 'trial', episode, round };
    if (!(yield* driveSwitch({ action: 'resume', attempts: 0, then }))) return undefined;
    return yield* trial(episode, round);
  }

  /** Ingestion runs again after an approval: only now does the breaker close. */
  function* closeApproved(episode: number, by: string): Generator<Task, EpisodeResult, unknown> {
    yield call({ op: 'close', at: now(), by, reason: 'approved by operator' });
    yield* notify({ kind: 'closed', episode, instanceId: ctx.instanceId, at: now(), reason: `approved by ${by}`, counts: {} });
    ctx.setCustomStatus({ phase: 'closed', episode, by });
    return { outcome: 'approved', episode, by };
  }

  /** Half-open trial (ingestion already resumed): let it run for probeMs, then judge by the failures since. */
  function* trial(episode: number, round: number): Generator<Task, EpisodeResult | undefined, unknown> {
    yield call({ op: 'halfOpen', at: now(), by: 'cooldown', reason: `cooldown of ${policy.cooldownMs / 1_000} s elapsed` });
    const trialStart = ctx.currentUtcDateTime.getTime();
    ctx.setCustomStatus({ phase: 'half-open', episode, round });
    yield ctx.createTimer(new Date(trialStart + policy.probeMs));
    const result = yield* readTrialWindow(trialStart);
    if (!result) {
      // The window stayed unreadable: the trial cannot be judged, so it did not pass (fail safe:
      // pause again and go on with the next round, never a failed episode left half-open).
      const reason = `the failure window could not be read after the ${policy.probeMs / 1_000} s trial: treated as failed`;
      yield call({ op: 'reopen', at: now(), by: 'probe', reason, counts: {} });
      const then: AfterSwitch = { step: 'next-round', episode, round: round + 1, reason, counts: {} };
      if (!(yield* driveSwitch({ action: 'pause', attempts: 0, then }))) return undefined;
      return yield* after(then);
    }
    const reason = `${result.total} failures during the ${policy.probeMs / 1_000} s trial (limit ${policy.probeThreshold})`;
    if (!crossesThreshold(result.total, policy.probeThreshold)) {
      yield call({ op: 'close', at: now(), by: 'probe', reason });
      yield* notify({ kind: 'closed', episode, instanceId: ctx.instanceId, at: now(), reason, counts: result.byCode });
      ctx.setCustomStatus({ phase: 'closed', episode, by: 'probe' });
      return { outcome: 'closed-by-probe', episode, failures: result.total };
    }
    yield call({ op: 'reopen', at: now(), by: 'probe', reason, counts: result.byCode });
    const then: AfterSwitch = { step: 'next-round', episode, round: round + 1, reason, counts: result.byCode };
    if (!(yield* driveSwitch({ action: 'pause', attempts: 0, then }))) return undefined;
    return yield* after(then);
  }

  /** The failures since the trial began; undefined when the window stayed unreadable (a few tries on durable timers). */
  function* readTrialWindow(sinceMs: number): Generator<Task, ReadWindowOutput | undefined, unknown> {
    for (let attempt = 1; ; attempt++) {
      try {
        return (yield ctx.callActivity(READ_FAILURE_WINDOW_ACTIVITY, { sinceMs })) as ReadWindowOutput;
      } catch {
        if (attempt >= READ_WINDOW_TRIES) return undefined;
      }
      yield ctx.createTimer(new Date(ctx.currentUtcDateTime.getTime() + READ_WINDOW_FIRST_RETRY_MS * 2 ** (attempt - 1)));
    }
  }

  function* notify(payload: NotifyInput): Generator<Task, boolean, unknown> {
    try {
      yield ctx.callActivityWithRetry(NOTIFY_OPERATOR_ACTIVITY, NOTIFY_RETRY, payload);
      return true;
    } catch {
      return false;
    }
  }
};

df.app.orchestration(EPISODE_ORCHESTRATOR, breakerEpisode);
