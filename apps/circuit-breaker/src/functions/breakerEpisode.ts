import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import { crossesThreshold, type BreakerCommand, type BreakerOutcome } from '@telemetry/breaker-rules';
import type { ApprovalEvent, EpisodeInput, EpisodeResult, NotifyInput, ReadWindowOutput } from '../episode-contract';
import {
  APPROVAL_EVENT, BREAKER_ENTITY, BREAKER_ENTITY_KEY, EPISODE_ORCHESTRATOR, NOTIFY_OPERATOR_ACTIVITY, PAUSE_INGESTION_ACTIVITY,
  READ_FAILURE_WINDOW_ACTIVITY, RESUME_INGESTION_ACTIVITY,
} from '../names';

// Switch calls must eventually succeed: retry for ~10 minutes (5 s, doubling, capped at 1 min).
const SWITCH_RETRY = Object.assign(new df.RetryOptions(5_000, 15), { backoffCoefficient: 2, maxRetryIntervalInMilliseconds: 60_000 });
// Notices are best effort: a few tries, then the episode goes on (the status endpoint still shows it).
const NOTIFY_RETRY = Object.assign(new df.RetryOptions(2_000, 3), { backoffCoefficient: 2 });

/**
 * One breaker episode: trip -> pause ingestion -> notify -> wait for an approval, raced with a
 * timer (token expiry in manual mode: a reminder round; cooldown in auto-probe mode: a half-open
 * trial that closes the breaker or re-opens it). Long waits continue as new to keep history short.
 * All state changes go through the `breaker` entity, which decides (a duplicate trip ends here).
 */
export const breakerEpisode: OrchestrationHandler = function* (context: OrchestrationContext): Generator<Task, EpisodeResult | undefined, unknown> {
  const ctx = context.df;
  const input = ctx.getInput() as EpisodeInput;
  const { policy } = input;
  const breaker = new df.EntityId(BREAKER_ENTITY, BREAKER_ENTITY_KEY);
  const now = (): string => ctx.currentUtcDateTime.toISOString();
  const call = (command: BreakerCommand): Task => ctx.callEntity(breaker, command.op, command);

  let episode: number;
  let round: number;
  let notice: Pick<NotifyInput, 'kind' | 'reason' | 'counts'>;
  if (!input.resume) {
    const decision = (yield call({ op: 'trip', at: now(), instanceId: ctx.instanceId, ...input.trip })) as BreakerOutcome;
    if (decision.kind !== 'tripped') {
      ctx.setCustomStatus({ phase: 'duplicate', episode: decision.episode });
      return { outcome: 'duplicate', episode: decision.episode };
    }
    episode = decision.episode;
    round = 0;
    notice = { kind: 'tripped', reason: input.trip.reason, counts: input.trip.counts };
    ctx.setCustomStatus({ phase: 'pausing', episode });
    yield ctx.callActivityWithRetry(PAUSE_INGESTION_ACTIVITY, SWITCH_RETRY, { episode });
  } else {
    ({ episode, round } = input.resume);
    notice = { kind: input.resume.kind, reason: input.resume.reason, counts: input.resume.counts };
  }

  // Offer a single-use approval; the link is valid for as long as this round waits.
  const waitMs = policy.mode === 'auto-probe' ? policy.cooldownMs : policy.approvalTtlMs;
  const deadline = new Date(ctx.currentUtcDateTime.getTime() + waitMs);
  const nonce = ctx.newGuid(ctx.instanceId);
  yield call({ op: 'offerApproval', at: now(), instanceId: ctx.instanceId, nonce, expiresAt: deadline.toISOString() });
  const notified = yield* notify({ ...notice, episode, instanceId: ctx.instanceId, at: now(), nonce, expiresAt: deadline.toISOString() });
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
    ctx.setCustomStatus({ phase: 'resuming', episode, by: event.by });
    yield ctx.callActivityWithRetry(RESUME_INGESTION_ACTIVITY, SWITCH_RETRY, { episode });
    yield* notify({ kind: 'closed', episode, instanceId: ctx.instanceId, at: now(), reason: `approved by ${event.by}`, counts: {} });
    ctx.setCustomStatus({ phase: 'closed', episode, by: event.by });
    return { outcome: 'approved', episode, by: event.by };
  }

  if (policy.mode === 'manual') {
    // The link lapsed unanswered: send a fresh one (the old nonce is spent by the next offer).
    ctx.continueAsNew({ ...input, resume: { episode, round: round + 1, kind: 'reminder', reason: notice.reason, counts: notice.counts } });
    return undefined;
  }

  // Half-open trial: resume, let it run for probeMs, then judge by the failures since the resume.
  yield call({ op: 'halfOpen', at: now(), by: 'cooldown', reason: `cooldown of ${policy.cooldownMs / 1_000} s elapsed` });
  const trialStart = ctx.currentUtcDateTime.getTime();
  ctx.setCustomStatus({ phase: 'half-open', episode, round });
  yield ctx.callActivityWithRetry(RESUME_INGESTION_ACTIVITY, SWITCH_RETRY, { episode });
  yield ctx.createTimer(new Date(ctx.currentUtcDateTime.getTime() + policy.probeMs));
  const trial = (yield ctx.callActivity(READ_FAILURE_WINDOW_ACTIVITY, { sinceMs: trialStart })) as ReadWindowOutput;
  if (!crossesThreshold(trial.total, policy.probeThreshold)) {
    const reason = `${trial.total} failures during the ${policy.probeMs / 1_000} s trial (limit ${policy.probeThreshold})`;
    yield call({ op: 'close', at: now(), by: 'probe', reason });
    yield* notify({ kind: 'closed', episode, instanceId: ctx.instanceId, at: now(), reason, counts: trial.byCode });
    ctx.setCustomStatus({ phase: 'closed', episode, by: 'probe' });
    return { outcome: 'closed-by-probe', episode, failures: trial.total };
  }
  const reason = `${trial.total} failures during the ${policy.probeMs / 1_000} s trial (limit ${policy.probeThreshold})`;
  yield call({ op: 'reopen', at: now(), by: 'probe', reason, counts: trial.byCode });
  yield ctx.callActivityWithRetry(PAUSE_INGESTION_ACTIVITY, SWITCH_RETRY, { episode });
  ctx.continueAsNew({ ...input, resume: { episode, round: round + 1, kind: 'reopened', reason, counts: trial.byCode } });
  return undefined;

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
