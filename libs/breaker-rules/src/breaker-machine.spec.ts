import fc from 'fast-check';
import type { BreakerCommand } from './breaker-command';
import { applyBreakerCommand } from './breaker-machine';
import { initialBreakerState, type BreakerState } from './breaker-state';

const T0 = Date.parse('2026-11-21T12:00:00.000Z');
const iso = (ms: number) => new Date(T0 + ms).toISOString();

/** Commands from a small pool of nonces and instances, so collisions and replays are frequent. */
const command = (at: number): fc.Arbitrary<BreakerCommand> => {
  const nonce = fc.constantFrom('n1', 'n2', 'n3');
  const instanceId = fc.constantFrom('i1', 'i2');
  return fc.oneof(
    fc.record({ op: fc.constant('trip' as const), at: fc.constant(iso(at)), by: fc.constant('monitor'), reason: fc.constant('threshold'), counts: fc.constant({ STORE_UNAVAILABLE: 150 }), instanceId }),
    fc.record({ op: fc.constant('offerApproval' as const), at: fc.constant(iso(at)), instanceId, nonce, expiresAt: fc.integer({ min: -5, max: 60 }).map((d) => iso(at + d * 1_000)) }),
    fc.record({ op: fc.constant('approve' as const), at: fc.constant(iso(at)), nonce, by: fc.constant('operator'), requestId: fc.uuid() }),
    fc.record({ op: fc.constant('halfOpen' as const), at: fc.constant(iso(at)), by: fc.constant('cooldown'), reason: fc.constant('cooldown elapsed') }),
    fc.record({ op: fc.constant('close' as const), at: fc.constant(iso(at)), by: fc.constant('probe'), reason: fc.constant('probe passed') }),
    fc.record({ op: fc.constant('reopen' as const), at: fc.constant(iso(at)), by: fc.constant('probe'), reason: fc.constant('probe failed'), counts: fc.constant({ STORE_TIMEOUT: 9 }) }),
    fc.record({ op: fc.constant('close' as const), at: fc.constant(iso(at)), by: fc.constant('operator'), reason: fc.constant('ingestion resumed') }),
    fc.record({ op: fc.constant('switchProgress' as const), at: fc.constant(iso(at)), target: fc.constantFrom('paused' as const, 'running' as const), state: fc.constantFrom('ok' as const, 'switching' as const, 'failing' as const) }),
    fc.record({ op: fc.constant('withdrawApproval' as const), at: fc.constant(iso(at)) }),
    fc.record({ op: fc.constant('adopt' as const), at: fc.constant(iso(at)), by: fc.constant('watchdog'), reason: fc.constant('owner ended'), instanceId, expectedInstanceId: instanceId }),
  );
};
const commands = fc.array(fc.nat({ max: 20 }), { maxLength: 60 }).chain((gaps) => {
  let t = 0;
  return fc.tuple(...gaps.map((gap) => command((t += gap * 1_000))));
});

describe('breaker state machine', () => {
  it('closing spends an approval offered after the operator approved, so its link cannot resume a later episode (fast-check counterexample, seed -1211172943)', () => {
    let state: BreakerState = initialBreakerState(iso(0));
    const step = (cmd: Parameters<typeof applyBreakerCommand>[1]) => (state = applyBreakerCommand(state, cmd).state);
    step({ op: 'trip', at: iso(1), by: 'monitor', reason: 'threshold', counts: { STORE_UNAVAILABLE: 150 }, instanceId: 'i1' });
    step({ op: 'offerApproval', at: iso(2), instanceId: 'i1', nonce: 'n3', expiresAt: iso(600) });
    step({ op: 'approve', at: iso(3), nonce: 'n3', by: 'operator', requestId: '00000000-0000-1000-8000-000000000000' });
    step({ op: 'offerApproval', at: iso(4), instanceId: 'i1', nonce: 'n1', expiresAt: iso(600) });
    step({ op: 'close', at: iso(5), by: 'operator', reason: 'ingestion resumed' });
    expect(state.status).toBe('closed');
    expect(state.approval).toBeUndefined();
    step({ op: 'trip', at: iso(6), by: 'monitor', reason: 'threshold', counts: { STORE_UNAVAILABLE: 150 }, instanceId: 'i1' });
    const late = applyBreakerCommand(state, { op: 'approve', at: iso(7), nonce: 'n1', by: 'operator', requestId: '00000000-0000-1000-8000-000000000001' });
    expect(late.outcome).toMatchObject({ kind: 'refused', reason: 'spent' });
  });


  it('never trips twice per episode, spends each nonce once, honours expiry and records every change', () => {
    fc.assert(
      fc.property(commands, (cmds) => {
        let state: BreakerState = initialBreakerState(iso(0));
        const approvedNonces: string[] = [];
        const tripsPerEpisode = new Map<number, number>();
        for (const cmd of cmds) {
          const before = state;
          const { state: after, outcome } = applyBreakerCommand(state, cmd);
          if (outcome.kind === 'tripped') {
            expect(before.status).toBe('closed');
            expect(outcome.episode).toBe(before.episode + 1);
            tripsPerEpisode.set(outcome.episode, (tripsPerEpisode.get(outcome.episode) ?? 0) + 1);
          }
          if (cmd.op === 'trip' && before.status !== 'closed') {
            expect(outcome.kind).toBe('duplicate');
            expect(after.transitions).toEqual(before.transitions);
            expect(after.status).toBe(before.status);
          }
          if (cmd.op === 'approve' && outcome.kind === 'done') {
            expect(approvedNonces).not.toContain(cmd.nonce);
            approvedNonces.push(cmd.nonce);
            expect(Date.parse(cmd.at)).toBeLessThan(Date.parse(before.approval!.expiresAt));
            // An approval alone never closes the breaker: the switch has to resume ingestion first.
            expect(after.status).toBe('open');
            expect(after.lastApproval).toMatchObject({ nonce: cmd.nonce, requestId: cmd.requestId });
            expect(after.resumeApproved).toEqual({ by: cmd.by, at: cmd.at });
            expect(after.switch).toMatchObject({ target: 'running' });
          }
          if (cmd.op === 'close' && outcome.kind === 'done') {
            expect(before.status === 'half-open' || (before.status === 'open' && before.resumeApproved !== undefined)).toBe(true);
          }
          if (after.status === 'open' && before.status !== 'open') expect(after.switch?.target).toBe('paused');
          if (cmd.op === 'switchProgress' || cmd.op === 'withdrawApproval') expect(after.status).toBe(before.status);
          if (after.status !== before.status) {
            const last = after.transitions.at(-1)!;
            expect(last).toMatchObject({ from: before.status, to: after.status, at: cmd.at });
            expect(after.since).toBe(cmd.at);
          } else {
            expect(after.transitions.length).toBe(before.transitions.length);
          }
          if (after.status === 'closed') expect(after.approval).toBeUndefined();
          state = after;
        }
        for (const count of tripsPerEpisode.values()) expect(count).toBe(1);
        for (let i = 1; i < state.transitions.length; i++) expect(state.transitions[i]!.from).toBe(state.transitions[i - 1]!.to);
      }),
      { numRuns: 300 },
    );
  });

  it('walks a full auto-probe episode: trip, duplicate, half-open, reopen, half-open, close', () => {
    const steps: BreakerCommand[] = [
      { op: 'trip', at: iso(0), by: 'monitor', reason: '150 failures in 30 s', counts: { STORE_UNAVAILABLE: 150 }, instanceId: 'i1' },
      { op: 'trip', at: iso(1_000), by: 'manual', reason: 'again', counts: {}, instanceId: 'i2' },
      { op: 'halfOpen', at: iso(60_000), by: 'cooldown', reason: 'cooldown elapsed' },
      { op: 'reopen', at: iso(90_000), by: 'probe', reason: 'probe failed', counts: { STORE_UNAVAILABLE: 12 } },
      { op: 'halfOpen', at: iso(150_000), by: 'cooldown', reason: 'cooldown elapsed' },
      { op: 'close', at: iso(180_000), by: 'probe', reason: 'probe passed' },
    ];
    let state = initialBreakerState(iso(0));
    const outcomes = steps.map((cmd) => {
      const step = applyBreakerCommand(state, cmd);
      state = step.state;
      return step.outcome.kind;
    });
    expect(outcomes).toEqual(['tripped', 'duplicate', 'done', 'done', 'done', 'done']);
    expect(state).toMatchObject({ status: 'closed', episode: 1, duplicateTrips: 1, instanceId: 'i1' });
    expect(state.transitions.map((t) => `${t.from}>${t.to}:${t.by}`)).toEqual([
      'closed>open:monitor', 'open>half-open:cooldown', 'half-open>open:probe', 'open>half-open:cooldown', 'half-open>closed:probe',
    ]);
  });

  it('an approval closes the breaker only once the switch has resumed ingestion', () => {
    let state = applyBreakerCommand(initialBreakerState(), { op: 'trip', at: iso(0), by: 'monitor', reason: 'r', counts: {}, instanceId: 'i1' }).state;
    expect(state.switch).toEqual({ target: 'paused', state: 'switching', since: iso(0) });
    expect(applyBreakerCommand(state, { op: 'close', at: iso(1), by: 'alice', reason: 'x' }).outcome).toMatchObject({ kind: 'refused', reason: 'not-approved' });
    state = applyBreakerCommand(state, { op: 'switchProgress', at: iso(5), target: 'paused', state: 'failing', attempts: 1, lastError: 'UNKNOWN', nextAttemptAt: iso(10) }).state;
    state = applyBreakerCommand(state, { op: 'switchProgress', at: iso(10), target: 'paused', state: 'failing', attempts: 2, lastError: 'UNKNOWN', nextAttemptAt: iso(20) }).state;
    expect(state.switch).toEqual({ target: 'paused', state: 'failing', since: iso(5), attempts: 2, lastError: 'UNKNOWN', nextAttemptAt: iso(20) });
    state = applyBreakerCommand(state, { op: 'switchProgress', at: iso(20), target: 'paused', state: 'ok' }).state;
    state = applyBreakerCommand(state, { op: 'offerApproval', at: iso(20), instanceId: 'i1', nonce: 'a', expiresAt: iso(60_000) }).state;
    state = applyBreakerCommand(state, { op: 'approve', at: iso(30), nonce: 'a', by: 'alice', requestId: 'r' }).state;
    expect(state).toMatchObject({ status: 'open', resumeApproved: { by: 'alice' }, switch: { target: 'running', state: 'switching', since: iso(30) } });
    state = applyBreakerCommand(state, { op: 'switchProgress', at: iso(40), target: 'running', state: 'ok' }).state;
    const closed = applyBreakerCommand(state, { op: 'close', at: iso(40), by: 'alice', reason: 'approved by operator; ingestion resumed' });
    expect(closed.outcome.kind).toBe('done');
    expect(closed.state).toMatchObject({ status: 'closed', since: iso(40), switch: { target: 'running', state: 'ok' } });
    expect(closed.state.resumeApproved).toBeUndefined();
    expect(closed.state.transitions.map((t) => `${t.from}>${t.to}:${t.by}`)).toEqual(['closed>open:monitor', 'open>closed:alice']);
  });

  it('refuses an approval that is replayed, expired, superseded or for another episode', () => {
    let state = applyBreakerCommand(initialBreakerState(), { op: 'trip', at: iso(0), by: 'monitor', reason: 'r', counts: {}, instanceId: 'i1' }).state;
    state = applyBreakerCommand(state, { op: 'offerApproval', at: iso(0), instanceId: 'i1', nonce: 'a', expiresAt: iso(10_000) }).state;
    state = applyBreakerCommand(state, { op: 'offerApproval', at: iso(1), instanceId: 'i1', nonce: 'b', expiresAt: iso(10_000) }).state;
    const approve = (nonce: string, at: number) => applyBreakerCommand(state, { op: 'approve', at: iso(at), nonce, by: 'op', requestId: 'r' });
    expect(approve('a', 5).outcome).toMatchObject({ kind: 'refused', reason: 'spent' });
    expect(approve('zzz', 5).outcome).toMatchObject({ kind: 'refused', reason: 'unknown-nonce' });
    expect(approve('b', 10_000).outcome).toMatchObject({ kind: 'refused', reason: 'expired' });
    expect(applyBreakerCommand(state, { op: 'offerApproval', at: iso(2), instanceId: 'i2', nonce: 'c', expiresAt: iso(9) }).outcome)
      .toMatchObject({ kind: 'refused', reason: 'not-owner' });
    const approved = approve('b', 5);
    expect(approved.outcome.kind).toBe('done');
    state = approved.state;
    expect(approve('b', 6).outcome).toMatchObject({ kind: 'refused', reason: 'spent' });
  });

  describe('adopt (the watchdog takes over an episode whose orchestration ended)', () => {
    const at = (s: number) => new Date(Date.parse('2026-11-21T12:00:00.000Z') + s * 1_000).toISOString();
    const open = () => {
      let state = applyBreakerCommand(initialBreakerState(at(0)), { op: 'trip', at: at(0), by: 'monitor', reason: 'r', counts: {}, instanceId: 'e1' }).state;
      state = applyBreakerCommand(state, { op: 'offerApproval', at: at(1), instanceId: 'e1', nonce: 'n1', expiresAt: at(3_600) }).state;
      return state;
    };
    const adopt = (expectedInstanceId: string) => ({ op: 'adopt' as const, at: at(10), by: 'watchdog', reason: 'owner failed', instanceId: 'e2', expectedInstanceId });

    it('from half-open: open again, owned by the adopter, switch to pause, the old offer spent; recorded', () => {
      let state = applyBreakerCommand(open(), { op: 'halfOpen', at: at(5), by: 'cooldown', reason: 'c' }).state;
      const step = applyBreakerCommand(state, adopt('e1'));
      expect(step.outcome).toEqual({ kind: 'done', episode: 1 });
      state = step.state;
      expect(state).toMatchObject({ status: 'open', episode: 1, instanceId: 'e2', switch: { target: 'paused', state: 'switching' } });
      expect(state.spentNonces).toContain('n1');
      expect(state.transitions.at(-1)).toMatchObject({ from: 'half-open', to: 'open', by: 'watchdog', reason: 'owner failed' });
      expect(applyBreakerCommand(state, { op: 'approve', at: at(11), nonce: 'n1', by: 'op', requestId: 'r' }).outcome).toMatchObject({ kind: 'refused', reason: 'spent' });
    });

    it('from open: an approval the dead owner had taken is void, so the adopter cannot close on it; no status change is recorded', () => {
      const approved = applyBreakerCommand(open(), { op: 'approve', at: at(2), nonce: 'n1', by: 'op', requestId: 'r' }).state;
      const state = applyBreakerCommand(approved, adopt('e1')).state;
      expect(state.resumeApproved).toBeUndefined();
      expect(state).toMatchObject({ status: 'open', since: approved.since, instanceId: 'e2' });
      expect(state.transitions).toEqual(approved.transitions);
      expect(applyBreakerCommand(state, { op: 'close', at: at(12), by: 'op', reason: 'x' }).outcome).toMatchObject({ kind: 'refused', reason: 'not-approved' });
    });

    it('only once, and never a closed breaker', () => {
      const first = applyBreakerCommand(open(), adopt('e1')).state;
      expect(applyBreakerCommand(first, { ...adopt('e1'), instanceId: 'e3' }).outcome).toMatchObject({ kind: 'refused', reason: 'not-owner' });
      expect(applyBreakerCommand(initialBreakerState(at(0)), adopt('e1')).outcome).toMatchObject({ kind: 'refused', reason: 'not-open' });
    });
  });
});
