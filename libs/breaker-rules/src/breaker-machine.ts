import type { BreakerPhase } from '@telemetry/contracts';
import type { BreakerCommand, BreakerOutcome, RefusalReason } from './breaker-command';
import { MAX_SPENT_NONCES, MAX_TRANSITIONS, type BreakerState, type BreakerTransition } from './breaker-state';

export interface BreakerStep {
  state: BreakerState;
  outcome: BreakerOutcome;
}

/**
 * The breaker's state machine: closed -> open -> (half-open) -> closed. Pure: the entity applies
 * it to its stored state. Rules that must hold for every command sequence (property-tested):
 * one trip per episode, an approval nonce works once and only before it expires, every status
 * change is recorded as a transition, and an approval alone never closes the breaker: `close`
 * follows once the switch has resumed ingestion (issue 13 item 9).
 */
export function applyBreakerCommand(state: BreakerState, command: BreakerCommand): BreakerStep {
  const refuse = (reason: RefusalReason): BreakerStep => ({ state, outcome: { kind: 'refused', reason, episode: state.episode } });
  switch (command.op) {
    case 'trip': {
      if (state.status !== 'closed') {
        return { state: { ...state, duplicateTrips: state.duplicateTrips + 1 }, outcome: { kind: 'duplicate', episode: state.episode, status: state.status } };
      }
      const episode = state.episode + 1;
      const next = move({ ...state, episode, duplicateTrips: 0, instanceId: command.instanceId, lastApproval: undefined, resumeApproved: undefined,
        trip: { reason: command.reason, by: command.by, at: command.at, counts: command.counts },
        switch: switchTowards(state, 'paused', command.at) }, 'open', command, command.counts);
      return { state: next, outcome: { kind: 'tripped', episode } };
    }
    case 'offerApproval': {
      if (state.status !== 'open') return refuse('not-open');
      if (state.instanceId !== command.instanceId) return refuse('not-owner');
      if (state.spentNonces.includes(command.nonce)) return refuse('spent');
      const spent = state.approval ? spend(state.spentNonces, state.approval.nonce) : state.spentNonces;
      const approval = { nonce: command.nonce, expiresAt: command.expiresAt, instanceId: command.instanceId };
      return { state: { ...state, approval, spentNonces: spent }, outcome: { kind: 'done', episode: state.episode } };
    }
    case 'approve': {
      if (state.spentNonces.includes(command.nonce)) return refuse('spent');
      if (state.status !== 'open') return refuse('not-open');
      if (!state.approval || state.approval.nonce !== command.nonce) return refuse('unknown-nonce');
      if (Date.parse(command.at) >= Date.parse(state.approval.expiresAt)) return refuse('expired');
      const receipt = { nonce: command.nonce, requestId: command.requestId, by: command.by, at: command.at };
      // Still open: the breaker closes when the switch confirms ingestion runs again (`close`).
      const next: BreakerState = {
        ...state, approval: undefined, spentNonces: spend(state.spentNonces, command.nonce), lastApproval: receipt,
        resumeApproved: { by: command.by, at: command.at }, switch: switchTowards(state, 'running', command.at),
      };
      return { state: next, outcome: { kind: 'done', episode: state.episode } };
    }
    case 'halfOpen': {
      if (state.status !== 'open') return refuse('not-open');
      const spent = state.approval ? spend(state.spentNonces, state.approval.nonce) : state.spentNonces;
      return { state: move({ ...state, approval: undefined, spentNonces: spent }, 'half-open', command), outcome: { kind: 'done', episode: state.episode } };
    }
    case 'close': {
      // From half-open (the trial passed), or from open once an operator approved (`approve`).
      if (state.status === 'open' && !state.resumeApproved) return refuse('not-approved');
      if (state.status === 'closed') return refuse('not-half-open');
      // An approval offered after the operator approved (a repeated notice) dies with the episode:
      // its nonce is spent, so a link from a closed episode can never resume a later one.
      const spent = state.approval ? spend(state.spentNonces, state.approval.nonce) : state.spentNonces;
      return { state: move({ ...state, approval: undefined, spentNonces: spent, resumeApproved: undefined }, 'closed', command), outcome: { kind: 'done', episode: state.episode } };
    }
    case 'reopen': {
      if (state.status !== 'half-open') return refuse('not-half-open');
      return { state: move({ ...state, switch: switchTowards(state, 'paused', command.at) }, 'open', command, command.counts), outcome: { kind: 'done', episode: state.episode } };
    }
    case 'switchProgress': {
      const { op: _op, at, ...progress } = command;
      const previous = state.switch;
      const since = previous && previous.target === progress.target && previous.state === progress.state ? previous.since : at;
      return { state: { ...state, switch: { ...progress, since } }, outcome: { kind: 'done', episode: state.episode } };
    }
    case 'withdrawApproval': {
      if (!state.approval) return { state, outcome: { kind: 'done', episode: state.episode } };
      return { state: { ...state, approval: undefined, spentNonces: spend(state.spentNonces, state.approval.nonce) }, outcome: { kind: 'done', episode: state.episode } };
    }
    case 'adopt': {
      // The safe state to start again from: open, ingestion to be paused, a fresh approval to come.
      // An offer or an approval of the dead owner dies with it (its nonce is spent).
      if (state.status === 'closed') return refuse('not-open');
      if (state.instanceId !== command.expectedInstanceId) return refuse('not-owner');
      const spent = state.approval ? spend(state.spentNonces, state.approval.nonce) : state.spentNonces;
      const adopted: BreakerState = { ...state, instanceId: command.instanceId, approval: undefined, spentNonces: spent, resumeApproved: undefined, switch: switchTowards(state, 'paused', command.at) };
      // From half-open a status change (recorded); from open the status and its `since` stay.
      return { state: state.status === 'open' ? adopted : move(adopted, 'open', command), outcome: { kind: 'done', episode: state.episode } };
    }
  }
}

function move(state: BreakerState, to: BreakerPhase, cause: { at: string; by: string; reason: string }, counts?: BreakerTransition['counts']): BreakerState {
  const transition: BreakerTransition = { from: state.status, to, at: cause.at, by: cause.by, reason: cause.reason, episode: state.episode };
  if (counts) transition.counts = counts;
  return { ...state, status: to, since: cause.at, transitions: [...state.transitions, transition].slice(-MAX_TRANSITIONS) };
}

/** The switch now has to reach `target`: a new call is due (`switching`), unless it is already there. */
function switchTowards(state: BreakerState, target: 'paused' | 'running', at: string): BreakerState['switch'] {
  if (state.switch?.target === target && state.switch.state === 'ok') return state.switch;
  return { target, state: 'switching', since: at };
}

function spend(spent: string[], nonce: string): string[] {
  return spent.includes(nonce) ? spent : [...spent, nonce].slice(-MAX_SPENT_NONCES);
}
