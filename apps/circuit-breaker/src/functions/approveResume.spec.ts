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
const request = (method: 'GET' | 'POST', t: string | undefined, name?: string, headers: Record<string, string> = {}) =>
  new HttpRequest({
    method, url: `https://breaker.example/api/breaker/approve${t === undefined ? '' : `?token=${encodeURIComponent(t)}`}`,
    ...(name ? { body: { string: `name=${name}` } } : {}),
    headers: { ...(name ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...headers },
  });

const OPERATOR = '6f2b2c1e-0000-4000-8000-00000000a11c';
/** The headers App Service Authentication forwards for a signed-in Entra ID user. */
const signedIn = (name = 'alice@contoso.example', oid = OPERATOR): Record<string, string> => ({
  'x-ms-client-principal': Buffer.from(JSON.stringify({
    auth_typ: 'aad', name_typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
    claims: [{ typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name', val: name }, { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: oid }],
  })).toString('base64'),
  'x-ms-client-principal-name': name, 'x-ms-client-principal-id': oid, 'x-ms-client-principal-idp': 'aad',
});
const AUTH_ON = { WEBSITE_AUTH_ENABLED: 'True', BREAKER_OPERATORS: OPERATOR };
/** The offer a signed-in confirmation page's form carries (its hidden field), as a browser would submit it. */
const offerOf = (page: { body?: unknown }): string => /<input type="hidden" name="offer" value="([^"]*)">/.exec(String(page.body))?.[1] ?? 'none on the page';
const formPost = (offer: string | undefined, headers: Record<string, string>) =>
  new HttpRequest({
    method: 'POST', url: 'https://breaker.example/api/breaker/approve',
    ...(offer === undefined ? {} : { body: { string: `offer=${encodeURIComponent(offer)}` } }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });

describe('approveResume', () => {
  const setup = (env: Record<string, string> = {}) => {
    const now = { ms: T0 + 1_000 };
    const { services } = testServices(now, env);
    const control = waitingBreaker(now);
    return { now, control, approve: createApproveResume(() => services, { settleTimeoutMs: 2_000, pollMs: 5 }) };
  };

  it('GET only shows a confirmation page: it consumes nothing', async () => {
    const { control, approve } = setup();
    const response = await approve(request('GET', token()), control);
    expect(response.status).toBe(200);
    expect(String(response.body)).toContain('<form method="post">');
    expect(response.headers).toMatchObject({ 'content-security-policy': expect.stringContaining("frame-ancestors 'none'"), 'x-frame-options': 'DENY' });
    expect(control.raised).toEqual([]);
    expect(control.state.status).toBe('open');
  });

  it('POST approves once, names the approver, and a second use is refused', async () => {
    const { control, approve } = setup();
    const first = await approve(request('POST', token(), 'alice'), control);
    expect(first.status).toBe(200);
    // Approved; the breaker closes once the switch has resumed ingestion (the episode does that).
    expect(control.state).toMatchObject({ status: 'open', resumeApproved: { by: 'alice (unauthenticated)' }, lastApproval: { by: 'alice (unauthenticated)', nonce: 'nonce-1' } });
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

  it('every page, refusals included, forbids framing and loading anything (CSP)', async () => {
    const { control, approve } = setup();
    for (const response of [await approve(request('GET', token()), control), await approve(request('POST', 'v1.e30.AAAA'), control), await approve(request('GET', undefined), control)]) {
      expect(response.headers).toMatchObject({
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store',
      });
    }
  });
});

describe('approveResume: who approved (issue 13 item 8) and the signed-in path (item 6)', () => {
  const setup = (env: Record<string, string> = {}) => {
    const now = { ms: T0 + 1_000 };
    const { services } = testServices(now, env);
    const control = waitingBreaker(now);
    return { control, approve: createApproveResume(() => services, { settleTimeoutMs: 2_000, pollMs: 5 }) };
  };

  it('App Service Authentication off: a client-sent principal header is not believed; the approver is recorded as unauthenticated', async () => {
    const { control, approve } = setup();
    const response = await approve(request('POST', token(), 'bob', { 'x-ms-client-principal-name': 'ceo@contoso.example' }), control);
    expect(response.status).toBe(200);
    expect(control.state.lastApproval?.by).toBe('bob (unauthenticated)');
    expect(control.state.resumeApproved?.by).toBe('bob (unauthenticated)');
  });

  it('on: the platform principal is the approver when its headers agree; a forged name beside them is not', async () => {
    const { control, approve } = setup(AUTH_ON);
    expect((await approve(request('POST', token(), 'someone', signedIn()), control)).status).toBe(200);
    expect(control.state.lastApproval?.by).toBe('alice@contoso.example (aad)');

    const second = setup(AUTH_ON);
    const forged = { ...signedIn(), 'x-ms-client-principal-name': 'ceo@contoso.example' };
    expect((await second.approve(request('POST', token(), 'mallory', forged), second.control)).status).toBe(200);
    expect(second.control.state.lastApproval?.by).toBe('mallory (unauthenticated)');
  });

  it('without a link: an allow-listed operator signed in by the platform approves the offer on display, from this origin only', async () => {
    const { control, approve } = setup(AUTH_ON);
    const page = await approve(request('GET', undefined, undefined, signedIn()), control);
    expect(page.status).toBe(200);
    expect(String(page.body)).toContain('Signed in as alice@contoso.example (aad)');
    // A cross-site form riding on the operator's session cookie is refused, and changes nothing.
    const crossSite = await approve(request('POST', undefined, undefined, { ...signedIn(), origin: 'https://attacker.example' }), control);
    expect(crossSite.status).toBe(403);
    expect(control.raised).toEqual([]);
    const ok = await approve(formPost(offerOf(page), { ...signedIn(), origin: 'https://breaker.example' }), control);
    expect(ok.status).toBe(200);
    expect(control.state).toMatchObject({ lastApproval: { nonce: 'nonce-1', by: 'alice@contoso.example (aad)' } });
  });

  it('without a link, nobody else: not signed in (401, with a sign-in link when auth is on), spoofed headers with auth off (401), not on the list (403)', async () => {
    const off = setup();
    const spoofed = await off.approve(request('POST', undefined, undefined, { ...signedIn(), origin: 'https://breaker.example' }), off.control);
    expect(spoofed.status).toBe(401);
    expect(String(spoofed.body)).not.toContain('Sign in');
    const on = setup(AUTH_ON);
    const anonymous = await on.approve(request('GET', undefined), on.control);
    expect(anonymous.status).toBe(401);
    expect(String(anonymous.body)).toContain('/.auth/login/aad?post_login_redirect_uri=%2Fapi%2Fbreaker%2Fapprove');
    const stranger = await on.approve(request('POST', undefined, undefined, { ...signedIn('eve@contoso.example', '00000000-0000-4000-8000-0000000000ee'), origin: 'https://breaker.example' }), on.control);
    expect(stranger.status).toBe(403);
    expect([...off.control.raised, ...on.control.raised]).toEqual([]);
    expect(on.control.state.status).toBe('open');
  });
});

describe('approveResume: a signed-in page approves only the offer it showed', () => {
  const signedInHere = { ...signedIn(), origin: 'https://breaker.example' };

  it('a page shown for episode 1, submitted after episode 2 is offered, is refused (403) and approves nothing; a fresh page approves episode 2', async () => {
    const now = { ms: T0 + 1_000 };
    const { services } = testServices(now, AUTH_ON);
    const control = waitingBreaker(now);
    const approve = createApproveResume(() => services, { settleTimeoutMs: 2_000, pollMs: 5 });
    const oldPage = await approve(request('GET', undefined, undefined, signedIn()), control);
    expect(String(oldPage.body)).toContain('Episode 1');
    // Episode 1 is approved and closed elsewhere; a new trip opens episode 2 with its own offer.
    control.apply({ op: 'approve', at: iso(T0 + 2_000), nonce: 'nonce-1', by: 'bob', requestId: 'r0' });
    control.apply({ op: 'close', at: iso(T0 + 3_000), by: 'bob', reason: 'approved' });
    control.apply({ op: 'trip', at: iso(T0 + 4_000), by: 'manual:someone', reason: 'DATA CORRUPTION: keep paused', counts: {}, instanceId: 'ep-2' });
    control.apply({ op: 'offerApproval', at: iso(T0 + 4_000), instanceId: 'ep-2', nonce: 'nonce-2', expiresAt: iso(T0 + 3_600_000) });
    const before = structuredClone(control.state);

    const stale = await approve(formPost(offerOf(oldPage), signedInHere), control);
    expect(stale.status).toBe(403);
    expect(String(stale.body)).toContain('no longer current');
    // A form without the field (a page from before this check) is no better.
    expect((await approve(formPost(undefined, signedInHere), control)).status).toBe(403);
    expect(control.raised).toEqual([]);
    expect(control.state).toEqual(before);
    expect(control.state).toMatchObject({ status: 'open', episode: 2 });
    expect(control.state.lastApproval).toBeUndefined();
    expect(control.state.resumeApproved).toBeUndefined();

    const freshPage = await approve(request('GET', undefined, undefined, signedIn()), control);
    expect(String(freshPage.body)).toContain('Episode 2');
    const ok = await approve(formPost(offerOf(freshPage), signedInHere), control);
    expect(ok.status).toBe(200);
    expect(control.state.lastApproval).toMatchObject({ nonce: 'nonce-2', by: 'alice@contoso.example (aad)' });
  });

  it('the link path is unchanged: its page carries no offer field and its POST needs none', async () => {
    const now = { ms: T0 + 1_000 };
    const { services } = testServices(now, AUTH_ON);
    const control = waitingBreaker(now);
    const approve = createApproveResume(() => services, { settleTimeoutMs: 2_000, pollMs: 5 });
    const page = await approve(request('GET', token(), undefined, signedIn()), control);
    expect(String(page.body)).not.toContain('name="offer"');
    expect((await approve(request('POST', token(), 'bob', signedIn()), control)).status).toBe(200);
    expect(control.state.lastApproval).toMatchObject({ nonce: 'nonce-1', by: 'alice@contoso.example (aad)' });
  });
});
