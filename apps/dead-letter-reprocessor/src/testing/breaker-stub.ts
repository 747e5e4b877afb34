import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BreakerStub {
  url: string;
  key: string;
  setState(state: 'open' | 'closed'): void;
  /** Authorised status reads so far. */
  reads(): number;
  stop(): Promise<void>;
}

/**
 * Stands in for apps/circuit-breaker's `GET /api/breaker` (function key auth; `{ status, ... }` as
 * that app answers) so the reprocessor's HTTP adapter is exercised without running the breaker.
 */
export async function startBreakerStub(): Promise<BreakerStub> {
  let state: 'open' | 'closed' = 'closed';
  let reads = 0;
  const key = 'breaker-test-key';
  const server = http.createServer((req, res) => {
    if (req.headers['x-functions-key'] !== key) return void res.writeHead(401).end();
    reads++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: state, episode: state === 'open' ? 1 : 0 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/breaker`,
    key,
    setState: (next) => void (state = next),
    reads: () => reads,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
