import { HttpRequest } from '@azure/functions';
import { applyBreakerCommand, initialBreakerState, signApprovalToken } from '@telemetry/breaker-rules';
import { InMemoryBreakerControl, TEST_SIGNING_KEY, testServices } from '../testing';
import { createApproveResume } from './approveResume';

const T0 = Date.parse('2026-11-21T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

function waitingBreaker(now: { ms: number }) {
  let state = applyBreakerCommand(initialBreakerState(), { op: 'trip', at: iso(T0), by: 'monitor', reason: '150 failures', counts: {}, instanceId: 'ep-1' }).state;
  state = applyBreakerCommand(state, { op: 'offerApproval', at: iso(T0), instanceId: 'ep-1', nonce: 'nonce-1', expiresAt: iso(T0 + 60_000) }).state;
  return new InMemoryBreakerControl(state, () => now.ms);
}
const token = (over: Partial<{ nonce: string; exp: number }> = {}, key = TEST_SIGNING_KEY) =>
  signApprovalToken({ instanceId: 'ep-1', episode: 1, nonce: 'nonce-1', exp: T0 + 60_000, ...over }, key);
const request = (method: 'GET' | 'POST', t: string, name?: string) =>
  new HttpRequest({
    method, url: `https://breaker.example/api/breaker/approve?token=${encodeURIComponent(t)}`,
    ...(name ? { body: { string: `name=${name}` }, headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {}),
  });

describe('approveResume', () => {
  const setup = () => {
    const now = { ms: T0 + 1_000 };
    const { services } = testServices(now);
    const control = waitingBreaker(now);
    return { now, control, approve: createApproveResume(() => services, { settleTimeoutMs: 2_000, pollMs: 5 }) };
  };

  it('GET only shows a confirmation page: it consumes nothing', async () => {
    const { control, approve } = setup();
    const response = await approve(request('GET', token()), control);
    expect(response.status).toBe(200);
    expect(String(response.body)).toContain('<form method="post">');
    expect(control.raised).toEqual([]);
    expect(control.state.status).toBe('open');
  });

  it('POST approves once, names the approver, and a second use is refused', async () => {
    const { control, approve } = setup();
    const first = await approve(request('POST', token(), 'alice'), control);
    expect(first.status).toBe(200);
    expect(control.state).toMatchObject({ status: 'closed', lastApproval: { by: 'alice', nonce: 'nonce-1' } });
    const again = await approve(request('POST', token(), 'mallory'), control);
    expect(again.status).toBe(403);
    expect(control.raised).toHaveLength(1);
  });

  it('refuses forged (401), expired (403) and superseded (403) tokens without changing anything', async () => {
    const { control, approve, now } = setup();
    const before = structuredClone(control.state);
    expect((await approve(request('POST', token({}, 'some-other-key-0123456789-0123456789')), control)).status).toBe(401);
    expect((await approve(request('POST', 'v1.e30.AAAA'), control)).status).toBe(401);
    expect((await approve(request('POST', token({ nonce: 'old' })), control)).status).toBe(403);
    now.ms = T0 + 60_000;
    expect((await approve(request('POST', token()), control)).status).toBe(403);
    expect(control.raised).toEqual([]);
    expect(control.state).toEqual(before);
  });

  it('answers 403 when a concurrent request used the token first', async () => {
    const { control, approve, now } = setup();
    control.deliver = false;
    // Between this request's raise and the orchestration's turn, another request's approval lands first.
    const raise = control.raiseApproval.bind(control);
    control.raiseApproval = async (instanceId, event) => {
      await raise(instanceId, event);
      control.apply({ op: 'approve', at: iso(now.ms), nonce: 'nonce-1', by: 'carol', requestId: 'other' });
    };
    const pending = approve(request('POST', token(), 'bob'), control);
    expect((await pending).status).toBe(403);
    expect(control.raised).toHaveLength(1);
    expect(control.state.lastApproval).toMatchObject({ by: 'carol' });
  });
});
