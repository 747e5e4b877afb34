import { HttpRequest } from '@azure/functions';
import { applyBreakerCommand, initialBreakerState } from '@telemetry/breaker-rules';
import { breakerStatusSchema } from '@telemetry/contracts';
import { InMemoryBreakerControl, testServices } from '../testing';
import { createBreakerStatus } from './breakerStatus';
import { createBreakerSummary } from './breakerSummary';

const T0 = Date.parse('2026-11-21T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** Open on a manual trip with free text, an approval on offer. */
function openBreaker() {
  let state = applyBreakerCommand(initialBreakerState(), { op: 'trip', at: iso(T0), by: 'manual:alice@contoso.example (aad)', reason: 'cosmos migration, call Bob on 555-0100', counts: {}, instanceId: 'ep-1' }).state;
  state = applyBreakerCommand(state, { op: 'offerApproval', at: iso(T0), instanceId: 'ep-1', nonce: 'nonce-secret-1', expiresAt: iso(T0 + 60_000) }).state;
  return new InMemoryBreakerControl(state, () => T0);
}

describe('breaker status endpoints hold no resume authority (issue 13 item 6)', () => {
  const now = { ms: T0 + 1_000 };
  const { services } = testServices(now);
  const get = (url: string) => new HttpRequest({ method: 'GET', url });

  it('GET /api/breaker (function key): the approval is shown as a page to go to, never as the signed link or its nonce', async () => {
    const response = await createBreakerStatus(() => services)(get('https://breaker.example/api/breaker'), openBreaker());
    const body = JSON.stringify(response.jsonBody);
    expect(breakerStatusSchema.parse(response.jsonBody).approval).toEqual({ expiresAt: iso(T0 + 60_000), page: 'https://breaker.example/api/breaker/approve' });
    expect(body).not.toContain('token=');
    expect(body).not.toContain('nonce-secret-1');
  });

  it('GET /api/breaker/summary (anonymous): phase, episode, offer and page; no link, nonce, operator name or free text', async () => {
    const response = await createBreakerSummary(() => services)(get('https://breaker.example/api/breaker/summary'), openBreaker());
    const report = breakerStatusSchema.parse(response.jsonBody);
    expect(report).toMatchObject({ status: 'open', episode: 1, approval: { page: 'https://breaker.example/api/breaker/approve' } });
    expect(report.transitions).toEqual([{ from: 'closed', to: 'open', at: iso(T0), episode: 1, by: 'operator', reason: 'by an operator' }]);
    const body = JSON.stringify(response.jsonBody);
    for (const secret of ['token=', 'nonce-secret-1', 'alice', '555-0100', 'instanceId', 'ep-1']) expect(body).not.toContain(secret);
  });
});
