import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import { waitUntil } from './wait-until';

/** One GET through the proxy: the status, or the error's code (a client timeout aborts with `TIMEOUT`). */
function get(url: string, timeoutMs: number): Promise<{ status?: number; error?: string; connected: boolean }> {
  return new Promise((resolve) => {
    let connected = false;
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, connected }));
    });
    req.on('socket', (s) => s.on('connect', () => (connected = true)));
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'TIMEOUT' })));
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message, connected }));
  });
}

describe('fault proxy', () => {
  let target: http.Server;
  let proxy: FaultProxy;
  let slowResponses: http.ServerResponse[] = [];

  beforeAll(async () => {
    target = http.createServer((req, res) => {
      if (req.url === '/slow') return void slowResponses.push(res);
      res.end('ok');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    proxy = await startFaultProxy(`http://127.0.0.1:${(target.address() as AddressInfo).port}`);
  });

  afterAll(async () => {
    await proxy.close();
    for (const res of slowResponses) res.destroy();
    target.closeAllConnections();
    await new Promise<void>((r) => target.close(() => r()));
  });

  it('blackhole: the connection is accepted and nothing answers, so the client times out; pass answers again', async () => {
    expect(await get(`${proxy.endpoint}a`, 5_000)).toEqual({ status: 200, connected: true });
    proxy.setMode({ kind: 'blackhole' });
    expect(await get(`${proxy.endpoint}b`, 300)).toEqual({ error: 'TIMEOUT', connected: true });
    await waitUntil(() => proxy.requests()[1]?.abandoned === true, { timeoutMs: 10_000, intervalMs: 10, description: 'the held request abandoned' });
    proxy.setMode({ kind: 'pass' });
    expect(await get(`${proxy.endpoint}c`, 5_000)).toEqual({ status: 200, connected: true });
    expect(proxy.requests().map((r) => [r.path, r.status, r.held ?? false, r.abandoned ?? false])).toEqual([['/a', 200, false, false], ['/b', undefined, true, true], ['/c', 200, false, false]]);
  });

  it('blackhole swallows a request in flight: its answer never reaches the client', async () => {
    proxy.resetCounts();
    slowResponses = [];
    const pending = get(`${proxy.endpoint}slow`, 1_000);
    await new Promise<void>((resolve) => {
      const check = (): void => void (slowResponses.length ? resolve() : setTimeout(check, 10));
      check();
    });
    proxy.setMode({ kind: 'blackhole' });
    try {
      slowResponses[0]!.end('late');
      expect(await pending).toEqual({ error: 'TIMEOUT', connected: true });
      // The client's close reaches the proxy a moment after the client gave up.
      await waitUntil(() => proxy.requests()[0]?.abandoned === true, { timeoutMs: 10_000, intervalMs: 10, description: 'the held request abandoned' });
      expect(proxy.requests()[0]).toMatchObject({ path: '/slow', held: true, abandoned: true });
    } finally {
      proxy.setMode({ kind: 'pass' });
    }
  });

  it("blackhole with inFlight 'complete': a request already forwarded gets its answer, new ones hang", async () => {
    proxy.resetCounts();
    slowResponses = [];
    const pending = get(`${proxy.endpoint}slow`, 5_000);
    await waitUntil(() => slowResponses.length > 0, { timeoutMs: 10_000, intervalMs: 10, description: 'the slow request forwarded' });
    proxy.setMode({ kind: 'blackhole', inFlight: 'complete' });
    try {
      slowResponses[0]!.end('late');
      expect(await pending).toEqual({ status: 200, connected: true });
      expect(await get(`${proxy.endpoint}new`, 300)).toEqual({ error: 'TIMEOUT', connected: true });
    } finally {
      proxy.setMode({ kind: 'pass' });
    }
  });

  it('setTarget points it at another service', async () => {
    const other = http.createServer((_req, res) => res.writeHead(204).end());
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    try {
      proxy.setTarget(`http://127.0.0.1:${(other.address() as AddressInfo).port}`);
      expect(await get(`${proxy.endpoint}x`, 5_000)).toEqual({ status: 204, connected: true });
    } finally {
      proxy.setTarget(`http://127.0.0.1:${(target.address() as AddressInfo).port}`);
      other.closeAllConnections();
      await new Promise<void>((r) => other.close(() => r()));
    }
  });
  it("keeps the client's connection open when the service answers `Connection: close` (hop-by-hop, not passed on)", async () => {
    const closing = http.createServer((req, res) => {
      res.setHeader('connection', 'close');
      res.end(`served ${req.url}`);
    });
    await new Promise<void>((r) => closing.listen(0, '127.0.0.1', r));
    const own = await startFaultProxy(`http://127.0.0.1:${(closing.address() as AddressInfo).port}`);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const call = (p: string) =>
        new Promise<{ body: string; reused: boolean; connection?: string }>((resolve, reject) => {
          const req = http.get(`${own.endpoint}${p}`, { agent }, (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString()));
            res.on('end', () => resolve({ body, reused: req.reusedSocket, connection: res.headers.connection }));
          });
          req.on('error', reject);
        });
      expect(await call('one')).toEqual({ body: 'served /one', reused: false, connection: 'keep-alive' });
      expect(await call('two')).toEqual({ body: 'served /two', reused: true, connection: 'keep-alive' });
    } finally {
      agent.destroy();
      await own.close();
      closing.closeAllConnections();
      await new Promise<void>((r) => closing.close(() => r()));
    }
  });
});
