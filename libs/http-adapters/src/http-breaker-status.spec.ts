import { silentLogger } from '@telemetry/core';
import { HttpBreakerStatus, parseBreakerStatus } from './http-breaker-status';

describe('breaker status over HTTP', () => {
  const now = Date.parse('2026-11-21T22:00:00Z');

  it.each([
    // apps/circuit-breaker's GET /api/breaker (BreakerStatusReport): the phase is `status`; no retry time in it
    [{ status: 'open', episode: 2, since: '2026-11-21T21:59:00Z', approval: { expiresAt: '2026-11-21T23:00:00Z', approveUrl: 'x' } }, { state: 'open' }],
    [{ status: 'half-open', episode: 2 }, { state: 'half-open' }],
    [{ status: 'closed' }, { state: 'closed' }],
    // Not a status report (a guessed shape, another service, garbage): closed
    [{ state: 'open' }, { state: 'closed' }],
    [{ status: 'Open' }, { state: 'closed' }],
    [{}, { state: 'closed' }],
    ['garbage', { state: 'closed' }],
  ])('%j -> %j', (body, expected) => {
    expect(parseBreakerStatus(body)).toEqual(expected);
  });

  it('sends the key, reuses an answer for cacheMs, and assumes closed when the endpoint fails', async () => {
    let clock = now;
    const calls: { url: string; key: string | null }[] = [];
    let answer: () => Response = () => Response.json({ status: 'open' });
    const fetchImpl = (async (url: string, init?: RequestInit) => {
      calls.push({ url, key: new Headers(init?.headers).get('x-functions-key') });
      return answer();
    }) as typeof fetch;
    const breaker = new HttpBreakerStatus({ url: 'http://breaker/api/breaker', key: 'k', cacheMs: 1_000, logger: silentLogger, fetchImpl, now: () => clock });
    expect(await breaker.current()).toEqual({ state: 'open' });
    clock += 500;
    expect(await breaker.current()).toEqual({ state: 'open' });
    expect(calls).toEqual([{ url: 'http://breaker/api/breaker', key: 'k' }]);
    clock += 1_000;
    answer = () => new Response('', { status: 500 });
    expect(await breaker.current()).toEqual({ state: 'closed' });
    expect(calls).toHaveLength(2);
  });
});
