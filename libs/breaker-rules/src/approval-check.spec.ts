import { checkApproval } from './approval-check';
import { signApprovalToken } from './approval-token';
import { applyBreakerCommand } from './breaker-machine';
import { initialBreakerState, type BreakerState } from './breaker-state';

const key = 'approval-signing-key-0123456789-abcdef';
const at = '2026-11-21T12:00:00.000Z';
const T = Date.parse(at);

function openWithOffer(): BreakerState {
  let state = applyBreakerCommand(initialBreakerState(), { op: 'trip', at, by: 'monitor', reason: 'r', counts: {}, instanceId: 'ep-1' }).state;
  state = applyBreakerCommand(state, { op: 'offerApproval', at, instanceId: 'ep-1', nonce: 'nonce-1', expiresAt: new Date(T + 60_000).toISOString() }).state;
  return state;
}
const token = (over: Partial<{ nonce: string; exp: number; instanceId: string }> = {}, signingKey = key) =>
  signApprovalToken({ instanceId: 'ep-1', episode: 1, nonce: 'nonce-1', exp: T + 60_000, ...over }, signingKey);

describe('checkApproval', () => {
  it('accepts the offered, unexpired, unspent token', () => {
    expect(checkApproval(token(), openWithOffer(), key, T + 1)).toMatchObject({ ok: true, claims: { nonce: 'nonce-1' } });
  });

  it.each([
    ['missing', () => checkApproval(undefined, openWithOffer(), key, T), 401],
    ['forged', () => checkApproval(token({}, 'another-key-0123456789-0123456789-x'), openWithOffer(), key, T), 401],
    ['garbled', () => checkApproval(token().slice(0, -3), openWithOffer(), key, T), 401],
    ['expired', () => checkApproval(token(), openWithOffer(), key, T + 60_000), 403],
    ['not the offered nonce', () => checkApproval(token({ nonce: 'other' }), openWithOffer(), key, T), 403],
    ['for another instance', () => checkApproval(token({ instanceId: 'ep-0' }), openWithOffer(), key, T), 403],
    ['used', () => {
      const used = applyBreakerCommand(openWithOffer(), { op: 'approve', at, nonce: 'nonce-1', by: 'op', requestId: 'r1' }).state;
      return checkApproval(token(), used, key, T);
    }, 403],
    ['closed breaker', () => checkApproval(token(), initialBreakerState(), key, T), 403],
  ])('refuses a %s token', (_name, run, status) => {
    expect(run()).toMatchObject({ ok: false, status });
  });
});
