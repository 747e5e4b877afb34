import type { BreakerPolicy, BreakerState } from '@telemetry/breaker-rules';
import type { EpisodeInput } from '../episode-contract';
import {
  APPROVAL_EVENT, BREAKER_ENTITY, BREAKER_ENTITY_KEY, NOTIFY_OPERATOR_ACTIVITY, PAUSE_INGESTION_ACTIVITY, READ_FAILURE_WINDOW_ACTIVITY,
  RESUME_INGESTION_ACTIVITY,
} from '../names';
import { OrchestrationReplay, runEntityBatch, type ReplayAction, type ReplayStep } from '../testing';
import { breakerEntity } from './breakerEntity';
import { breakerEpisode, READ_WINDOW_TRIES } from './breakerEpisode';

const ENTITY = `@${BREAKER_ENTITY}@${BREAKER_ENTITY_KEY}`;
const T0 = new Date('2026-11-21T12:00:00.000Z');
const manual: BreakerPolicy = { mode: 'manual', threshold: 100, windowMs: 30_000, cooldownMs: 120_000, approvalTtlMs: 3_600_000, probeMs: 30_000, probeThreshold: 10 };
const autoProbe: BreakerPolicy = { ...manual, mode: 'auto-probe' };
const trip = { reason: '154 failures in the last 30 s (threshold 100)', by: 'monitor', counts: { STORE_UNAVAILABLE: 154 } };
const input = (policy: BreakerPolicy, resume?: EpisodeInput['resume']): EpisodeInput => ({ trip, policy, ...(resume ? { resume } : {}) });

/**
 * The orchestrator replayed by the library's engine, with its entity calls answered by the real
 * entity (also run through the engine) on a persisted state string: a small Durable host.
 */
class Episode {
  readonly replay: OrchestrationReplay;
  entityState: BreakerState | undefined;
  constructor(instanceId: string, episodeInput: EpisodeInput, entityState?: BreakerState) {
    this.replay = new OrchestrationReplay(breakerEpisode, { instanceId, input: episodeInput, startAt: T0 });
    this.entityState = entityState;
  }

  /** Answers the outstanding entity call with the entity's real outcome. */
  async entity(): Promise<ReplayStep> {
    const call = this.replay.outstanding().find((a) => a.type === 'callEntity') as Extract<ReplayAction, { type: 'callEntity' }>;
    const out = await runEntityBatch(breakerEntity, { name: BREAKER_ENTITY, key: BREAKER_ENTITY_KEY }, this.entityState, [{ name: call.operation, input: call.input }]);
    this.entityState = out.state;
    return this.replay.respondEntity(out.results[0]!.result);
  }
}

/** Drives a fresh episode to "awaiting approval" and returns the offered nonce. */
async function toAwaitingApproval(episode: Episode): Promise<{ nonce: string; step: ReplayStep }> {
  let step = await episode.replay.start();
  expect(step.newActions).toEqual([{ type: 'callEntity', entity: ENTITY, operation: 'trip', input: expect.objectContaining({ op: 'trip', at: T0.toISOString(), instanceId: 'ep-1', ...trip }) }]);
  step = await episode.entity();
  expect(step.newActions).toEqual([{ type: 'callActivity', name: PAUSE_INGESTION_ACTIVITY, input: { episode: 1, attempt: 1 }, retry: false }]);
  expect(episode.entityState!.switch).toMatchObject({ target: 'paused', state: 'switching' });
  step = await episode.replay.completeActivity(PAUSE_INGESTION_ACTIVITY, { ok: true, target: 'in-memory' });
  expect(step.newActions).toEqual([{ type: 'callEntity', entity: ENTITY, operation: 'switchProgress', input: expect.objectContaining({ target: 'paused', state: 'ok' }) }]);
  step = await episode.entity();
  expect(step.newActions).toEqual([{ type: 'callEntity', entity: ENTITY, operation: 'offerApproval', input: expect.objectContaining({ op: 'offerApproval', instanceId: 'ep-1' }) }]);
  const offer = step.newActions[0] as Extract<ReplayAction, { type: 'callEntity' }>;
  const { nonce, expiresAt } = offer.input as { nonce: string; expiresAt: string };
  step = await episode.entity();
  expect(step.newActions).toEqual([{
    type: 'callActivity', name: NOTIFY_OPERATOR_ACTIVITY, retry: true,
    input: { kind: 'tripped', episode: 1, instanceId: 'ep-1', at: T0.toISOString(), reason: trip.reason, counts: trip.counts, nonce, expiresAt, trigger: 'threshold' },
  }]);
  step = await episode.replay.completeActivity(NOTIFY_OPERATOR_ACTIVITY, { delivered: true });
  return { nonce, step };
}

/** Drives a fresh auto-probe episode through the cooldown and the trial to the failure-window read. */
async function toTrialEnd(): Promise<Episode> {
  const episode = new Episode('ep-1', input(autoProbe));
  await toAwaitingApproval(episode);
  await episode.replay.fireTimer();
  await episode.entity();
  await episode.replay.completeActivity(RESUME_INGESTION_ACTIVITY, { ok: true, target: 'in-memory' });
  await episode.entity();
  await episode.entity();
  await episode.replay.fireTimer();
  return episode;
}

describe('breakerEpisode orchestration (replayed by the durable-functions engine)', () => {
  it('trip: takes the breaker open, pauses ingestion, offers a single-use approval, notifies, then waits', async () => {
    const episode = new Episode('ep-1', input(manual));
    const { nonce, step } = await toAwaitingApproval(episode);
    const deadline = new Date(T0.getTime() + manual.approvalTtlMs).toISOString();
    expect(step.newActions).toEqual([{ type: 'waitForEvent', name: APPROVAL_EVENT }, { type: 'createTimer', fireAt: deadline, canceled: false }]);
    expect(step.isDone).toBe(false);
    expect(step.customStatus).toMatchObject({ phase: 'awaiting-approval', episode: 1, notified: true });
    expect(episode.entityState).toMatchObject({ status: 'open', episode: 1, instanceId: 'ep-1', approval: { nonce, expiresAt: deadline } });
  });

  it('duplicate trip: an episode started while the breaker is open does nothing at all', async () => {
    const first = new Episode('ep-1', input(manual));
    await toAwaitingApproval(first);
    const second = new Episode('ep-2', input(manual), first.entityState);
    let step = await second.replay.start();
    expect(step.newActions.map((a) => a.type)).toEqual(['callEntity']);
    step = await second.entity();
    expect(step).toMatchObject({ newActions: [], isDone: true, output: { outcome: 'duplicate', episode: 1 } });
    expect(second.entityState).toMatchObject({ status: 'open', episode: 1, duplicateTrips: 1, instanceId: 'ep-1' });
    expect(second.entityState!.transitions).toHaveLength(1);
  });

  it('approval: the offered nonce closes the breaker and resumes ingestion; a replayed one changes nothing', async () => {
    const episode = new Episode('ep-1', input(manual));
    const { nonce } = await toAwaitingApproval(episode);
    episode.replay.advance(60_000);

    // A forged or stale nonce reaching the orchestration: the entity refuses, the wait goes on.
    let step = await episode.replay.raiseEvent(APPROVAL_EVENT, { nonce: 'not-the-nonce', by: 'mallory', requestId: 'r0' });
    expect(step.newActions).toEqual([{ type: 'callEntity', entity: ENTITY, operation: 'approve', input: expect.objectContaining({ nonce: 'not-the-nonce' }) }]);
    step = await episode.entity();
    expect(step.newActions).toEqual([
      { type: 'waitForEvent', name: APPROVAL_EVENT },
      { type: 'createTimer', fireAt: new Date(T0.getTime() + manual.approvalTtlMs).toISOString(), canceled: false },
    ]);
    expect(episode.entityState!.status).toBe('open');

    step = await episode.replay.raiseEvent(APPROVAL_EVENT, { nonce, by: 'alice', requestId: 'r1' });
    expect(step.newActions).toEqual([{ type: 'callEntity', entity: ENTITY, operation: 'approve', input: expect.objectContaining({ nonce, by: 'alice', requestId: 'r1' }) }]);
    step = await episode.entity();
    expect(step.newActions).toEqual([{ type: 'callActivity', name: RESUME_INGESTION_ACTIVITY, input: { episode: 1, attempt: 1 }, retry: false }]);
    // Approved, but not closed until the switch has resumed ingestion.
    expect(episode.entityState).toMatchObject({ status: 'open', resumeApproved: { by: 'alice' }, switch: { target: 'running', state: 'switching' } });
    step = await episode.replay.completeActivity(RESUME_INGESTION_ACTIVITY, { ok: true, target: 'in-memory' });
    expect(step.newActions).toEqual([{ type: 'callEntity', entity: ENTITY, operation: 'switchProgress', input: expect.objectContaining({ target: 'running', state: 'ok' }) }]);
    step = await episode.entity();
    expect(step.newActions).toEqual([{ type: 'callEntity', entity: ENTITY, operation: 'close', input: expect.objectContaining({ by: 'alice' }) }]);
    step = await episode.entity();
    expect(step.newActions).toEqual([{ type: 'callActivity', name: NOTIFY_OPERATOR_ACTIVITY, retry: true, input: expect.objectContaining({ kind: 'closed', reason: 'approved by alice' }) }]);
    step = await episode.replay.completeActivity(NOTIFY_OPERATOR_ACTIVITY, { delivered: true });
    expect(step).toMatchObject({ newActions: [], isDone: true, output: { outcome: 'approved', episode: 1, by: 'alice' } });
    expect(episode.entityState).toMatchObject({ status: 'closed', lastApproval: { nonce, by: 'alice', requestId: 'r1' } });
    expect(episode.entityState!.transitions.map((t) => `${t.from}>${t.to}:${t.by}`)).toEqual(['closed>open:monitor', 'open>closed:alice']);

    // The same token again, e.g. a second click: the entity refuses it.
    const again = await runEntityBatch(breakerEntity, { name: BREAKER_ENTITY, key: BREAKER_ENTITY_KEY }, episode.entityState, [
      { name: 'approve', input: { op: 'approve', at: T0.toISOString(), nonce, by: 'alice', requestId: 'r2' } },
    ]);
    expect(again.results[0]!.result).toMatchObject({ kind: 'refused', reason: 'spent' });
    expect(again.state).toEqual(episode.entityState);
  });

  it('expiry of the wait (manual): continues as new with a reminder round and a fresh link, without tripping or pausing again', async () => {
    const episode = new Episode('ep-1', input(manual));
    const { nonce } = await toAwaitingApproval(episode);
    let step = await episode.replay.fireTimer();
    expect(step.isDone).toBe(true);
    expect(step.newActions).toEqual([{ type: 'continueAsNew', input: { ...input(manual), resume: { episode: 1, round: 1, kind: 'reminder', reason: trip.reason, counts: trip.counts } } }]);

    const next = new Episode('ep-1', (step.newActions[0] as { input: EpisodeInput }).input, episode.entityState);
    next.replay.advance(manual.approvalTtlMs);
    step = await next.replay.start();
    expect(step.newActions).toEqual([{ type: 'callEntity', entity: ENTITY, operation: 'offerApproval', input: expect.objectContaining({ op: 'offerApproval' }) }]);
    const fresh = (step.newActions[0] as { input: { nonce: string } }).input.nonce;
    expect(fresh).not.toBe(nonce);
    step = await next.entity();
    expect(step.newActions).toEqual([{ type: 'callActivity', name: NOTIFY_OPERATOR_ACTIVITY, retry: true, input: expect.objectContaining({ kind: 'reminder', nonce: fresh }) }]);
    expect(next.entityState!.spentNonces).toContain(nonce);
    expect(next.entityState!.transitions).toHaveLength(1);
  });

  it('half-open success (auto-probe): after the cooldown resumes on trial, and closes when the trial stays under its limit', async () => {
    const episode = new Episode('ep-1', input(autoProbe));
    const { step: waiting } = await toAwaitingApproval(episode);
    expect(waiting.newActions[1]).toEqual({ type: 'createTimer', fireAt: new Date(T0.getTime() + autoProbe.cooldownMs).toISOString(), canceled: false });
    let step = await episode.replay.fireTimer();
    expect(step.newActions).toEqual([{ type: 'callEntity', entity: ENTITY, operation: 'withdrawApproval', input: expect.objectContaining({ op: 'withdrawApproval' }) }]);
    step = await episode.entity();
    const trialStart = T0.getTime() + autoProbe.cooldownMs;
    expect(step.newActions).toEqual([{ type: 'callActivity', name: RESUME_INGESTION_ACTIVITY, input: { episode: 1, attempt: 1 }, retry: false }]);
    expect(episode.entityState!.status).toBe('open');
    step = await episode.replay.completeActivity(RESUME_INGESTION_ACTIVITY, { ok: true, target: 'in-memory' });
    step = await episode.entity();
    expect(step.newActions).toEqual([{ type: 'callEntity', entity: ENTITY, operation: 'halfOpen', input: expect.objectContaining({ by: 'cooldown' }) }]);
    step = await episode.entity();
    expect(step.newActions).toEqual([{ type: 'createTimer', fireAt: new Date(trialStart + autoProbe.probeMs).toISOString(), canceled: false }]);
    expect(episode.entityState!.status).toBe('half-open');
    step = await episode.replay.fireTimer();
    expect(step.newActions).toEqual([{ type: 'callActivity', name: READ_FAILURE_WINDOW_ACTIVITY, input: { sinceMs: trialStart }, retry: false }]);
    step = await episode.replay.completeActivity(READ_FAILURE_WINDOW_ACTIVITY, { total: 3, byCode: { STORE_TIMEOUT: 3 } });
    expect(step.newActions).toEqual([{ type: 'callEntity', entity: ENTITY, operation: 'close', input: expect.objectContaining({ by: 'probe' }) }]);
    step = await episode.entity();
    expect(step.newActions).toEqual([{ type: 'callActivity', name: NOTIFY_OPERATOR_ACTIVITY, retry: true, input: expect.objectContaining({ kind: 'closed' }) }]);
    step = await episode.replay.completeActivity(NOTIFY_OPERATOR_ACTIVITY, {});
    expect(step).toMatchObject({ isDone: true, output: { outcome: 'closed-by-probe', episode: 1, failures: 3 } });
    expect(episode.entityState!.transitions.map((t) => `${t.from}>${t.to}`)).toEqual(['closed>open', 'open>half-open', 'half-open>closed']);
  });

  it('half-open failure (auto-probe): a failing trial re-opens, pauses again and starts a new round', async () => {
    const episode = await toTrialEnd();
    let step = await episode.replay.completeActivity(READ_FAILURE_WINDOW_ACTIVITY, { total: 40, byCode: { STORE_UNAVAILABLE: 40 } });
    expect(step.newActions).toEqual([{ type: 'callEntity', entity: ENTITY, operation: 'reopen', input: expect.objectContaining({ counts: { STORE_UNAVAILABLE: 40 } }) }]);
    step = await episode.entity();
    expect(step.newActions).toEqual([{ type: 'callActivity', name: PAUSE_INGESTION_ACTIVITY, input: { episode: 1, attempt: 1 }, retry: false }]);
    step = await episode.replay.completeActivity(PAUSE_INGESTION_ACTIVITY, { ok: true, target: 'in-memory' });
    step = await episode.entity();
    expect(step.isDone).toBe(true);
    expect(step.newActions).toEqual([{ type: 'continueAsNew', input: expect.objectContaining({ resume: expect.objectContaining({ episode: 1, round: 1, kind: 'reopened' }) }) }]);
    expect(episode.entityState).toMatchObject({ status: 'open', episode: 1 });
    expect(episode.entityState!.transitions.map((t) => `${t.from}>${t.to}`)).toEqual(['closed>open', 'open>half-open', 'half-open>open']);
  });

  it('half-open, failure window unreadable after its retries: the trial counts as failed (re-open, pause, next round), never a failed episode left half-open', async () => {
    const episode = await toTrialEnd();
    let step!: ReplayStep;
    for (let attempt = 1; attempt <= READ_WINDOW_TRIES; attempt++) {
      step = await episode.replay.failActivity(READ_FAILURE_WINDOW_ACTIVITY, 'Activity function readFailureWindow failed: table unavailable');
      if (attempt === READ_WINDOW_TRIES) break;
      expect(step.newActions).toEqual([{ type: 'createTimer', fireAt: expect.any(String), canceled: false }]);
      step = await episode.replay.fireTimer();
      expect(step.newActions).toEqual([{ type: 'callActivity', name: READ_FAILURE_WINDOW_ACTIVITY, input: expect.any(Object), retry: false }]);
    }
    expect(episode.entityState!.status).toBe('half-open');
    expect(step.newActions).toEqual([{ type: 'callEntity', entity: ENTITY, operation: 'reopen', input: expect.objectContaining({ by: 'probe', reason: expect.stringMatching(/could not be read/) }) }]);
    step = await episode.entity();
    expect(step.newActions).toEqual([{ type: 'callActivity', name: PAUSE_INGESTION_ACTIVITY, input: { episode: 1, attempt: 1 }, retry: false }]);
    step = await episode.replay.completeActivity(PAUSE_INGESTION_ACTIVITY, { ok: true, target: 'in-memory' });
    step = await episode.entity();
    expect(step).toMatchObject({ isDone: true, newActions: [{ type: 'continueAsNew', input: expect.objectContaining({ resume: expect.objectContaining({ round: 1, kind: 'reopened' }) }) }] });
    expect(episode.entityState).toMatchObject({ status: 'open', episode: 1 });
  });

  it('adopt: an episode started by the watchdog takes over from an ended owner, pauses, notifies (recovered) and offers a fresh approval', async () => {
    const dead = new Episode('ep-1', input(autoProbe));
    await toAwaitingApproval(dead);
    const offered = dead.entityState!.approval!.nonce;
    const reason = "the breaker's episode orchestration ep-1 ended (Failed) while the breaker was open";
    const adopter = new Episode('ep-2', { ...input(autoProbe), adopt: { expectedInstanceId: 'ep-1', reason } }, dead.entityState);
    let step = await adopter.replay.start();
    expect(step.newActions).toEqual([{ type: 'callEntity', entity: ENTITY, operation: 'adopt', input: expect.objectContaining({ instanceId: 'ep-2', expectedInstanceId: 'ep-1', by: 'watchdog' }) }]);
    step = await adopter.entity();
    expect(adopter.entityState).toMatchObject({ status: 'open', episode: 1, instanceId: 'ep-2' });
    expect(adopter.entityState!.spentNonces).toContain(offered); // the dead owner's link is void
    expect(step.newActions).toEqual([{ type: 'callActivity', name: PAUSE_INGESTION_ACTIVITY, input: { episode: 1, attempt: 1 }, retry: false }]);
    step = await adopter.replay.completeActivity(PAUSE_INGESTION_ACTIVITY, { ok: true, target: 'in-memory' });
    step = await adopter.entity();
    expect(step.newActions).toEqual([{ type: 'callEntity', entity: ENTITY, operation: 'offerApproval', input: expect.objectContaining({ instanceId: 'ep-2' }) }]);
    step = await adopter.entity();
    expect(step.newActions).toEqual([{ type: 'callActivity', name: NOTIFY_OPERATOR_ACTIVITY, retry: true, input: expect.objectContaining({ kind: 'recovered', episode: 1, instanceId: 'ep-2', reason }) }]);
    // A second watchdog run that started another adopter is refused: one owner.
    const late = new Episode('ep-3', { ...input(autoProbe), adopt: { expectedInstanceId: 'ep-1', reason } }, adopter.entityState);
    await late.replay.start();
    step = await late.entity();
    expect(step).toMatchObject({ isDone: true, output: { outcome: 'not-adopted', episode: 1 } });
    expect(late.entityState).toMatchObject({ instanceId: 'ep-2' });
  });

  it('replays deterministically: a restarted host replaying the history asks for exactly the same work, same nonce', async () => {
    const episode = new Episode('ep-1', input(manual));
    const seen: ReplayAction[] = [];
    const record = (step: ReplayStep) => (seen.push(...step.newActions), step);
    record(await episode.replay.start());
    record(await episode.entity());
    record(await episode.replay.completeActivity(PAUSE_INGESTION_ACTIVITY, { ok: true, target: 'in-memory' }));
    record(await episode.entity());
    record(await episode.entity());
    record(await episode.replay.completeActivity(NOTIFY_OPERATOR_ACTIVITY, {}));
    const replayed = await episode.replay.replayAll();
    expect(replayed.isDone).toBe(false);
    expect(replayed.actions).toEqual(seen);
    // The nonce the entity holds is the one the (replayed) notify activity signs.
    const notify = replayed.actions.find((a) => a.type === 'callActivity' && a.name === NOTIFY_OPERATOR_ACTIVITY) as { input: { nonce: string } };
    expect(notify.input.nonce).toBe(episode.entityState!.approval!.nonce);
  });
});
