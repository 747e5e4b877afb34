import { silentLogger } from '@telemetry/core';
import { HttpBreakerStatus, parseBreakerStatus } from './http-breaker-status';

describe('breaker status over HTTP', () => {
  const now = Date.parse('2026-11-21T22:00:00Z');

  it.each([
    [{ state: 'Open' }, { state: 'open' }],
    [{ state: 'closed' }, { state: 'closed' }],
    [{ state: 'half_open' }, { state: 'half-open' }],
    [{ state: { state: 'open', retryAt: '2026-11-21T22:00:30Z' } }, { state: 'open', retryAfterMs: 30_000 }],
    [{ status: 'open', openUntil: '2026-11-21T22:01:00Z' }, { state: 'open', retryAfterMs: 60_000 }],
    // apps/circuit-breaker's GET /api/breaker (BreakerState + extras): no retry time in it
    [{ status: 'open', episode: 2, since: '2026-11-21T21:59:00Z', approval: { expiresAt: '2026-11-21T23:00:00Z', approveUrl: 'x' } }, { state: 'open' }],
    [{ status: 'half-open', episode: 2 }, { state: 'half-open' }],
    [{}, { state: 'closed' }],
    ['garbage', { state: 'closed' }],
  ])('%j -> %j', (body, expected) => {
    expect(parseBreakerStatus(body, now)).toEqual(expected);
  });

  it('sends the key, reuses an answer for cacheMs, and assumes closed when the endpoint fails', async () => {
    let clock = now;
    const calls: { url: string; key: string | null }[] = [];
    let answer: () => Response = () => Response.json({ state: 'open' });
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
