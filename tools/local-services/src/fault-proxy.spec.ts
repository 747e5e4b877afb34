import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BulkOperationType, CosmosClient, type Container } from '@azure/cosmos';
import { startCosmosServer, type CosmosServerInstance } from './cosmos-server';
import { documentWrites, startFaultProxy, storedDocuments, type FaultProxy } from './fault-proxy';
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

describe('fault proxy: stored writes, in front of a real Cosmos server', () => {
  let cosmos: CosmosServerInstance;
  let proxy: FaultProxy;
  let container: Container;
  const iso = (ms: number): string => new Date(Date.UTC(2030, 0, 1) + ms).toISOString();
  const doc = (id: string, ms: number) => ({ id, deviceId: id, lastEventTime: iso(ms), generation: { id: `gen-${id}`, seenAt: iso(0) }, battery: 0.5 });
  /** The recorded writes without their times, in order. */
  const written = () => proxy.storedWrites().map(({ id, lastEventTime }) => [id, lastEventTime]);

  beforeAll(async () => {
    cosmos = await startCosmosServer();
    proxy = await startFaultProxy(cosmos.endpoint);
    const client = new CosmosClient({ endpoint: proxy.endpoint, key: cosmos.key, connectionPolicy: { enableEndpointDiscovery: false } });
    const { database } = await client.databases.createIfNotExists({ id: 'proxy' });
    ({ container } = await database.containers.createIfNotExists({ id: 'devices', partitionKey: { paths: ['/deviceId'] } }));
  });

  afterAll(async () => {
    await proxy?.close();
    await cosmos?.stop();
  });

  beforeEach(() => {
    proxy.resetCounts();
    proxy.recordStoredWrites(true);
  });

  it('records each single create, upsert, replace and patch the server answered 2xx, at the time its answer came back', async () => {
    const before = Date.now();
    const { etag } = await container.items.create(doc('a', 1));
    const afterCreate = Date.now();
    await container.items.upsert(doc('b', 2));
    await container.item('a', 'a').replace(doc('a', 3), { accessCondition: { type: 'IfMatch', condition: etag! } });
    await container.item('b', 'b').patch([{ op: 'set', path: '/lastEventTime', value: iso(4) }]);
    expect(written()).toEqual([['a', iso(1)], ['b', iso(2)], ['a', iso(3)], ['b', iso(4)]]);
    const first = proxy.storedWrites()[0]!;
    expect(first.at).toBeGreaterThanOrEqual(before);
    expect(first.at).toBeLessThanOrEqual(afterCreate);
  });

  it('records nothing for a write the server refused (409, 412, 404), nor for reads and queries', async () => {
    await container.items.create(doc('c', 1));
    expect(written()).toEqual([['c', iso(1)]]);
    await expect(container.items.create(doc('c', 2))).rejects.toMatchObject({ code: 409 });
    await expect(container.item('c', 'c').replace(doc('c', 3), { accessCondition: { type: 'IfMatch', condition: '"not-the-etag"' } })).rejects.toMatchObject({ code: 412 });
    await expect(container.item('nobody', 'nobody').replace(doc('nobody', 4))).rejects.toMatchObject({ code: 404 });
    await container.item('c', 'c').read();
    await container.items.query('SELECT * FROM c').fetchAll();
    expect(written()).toEqual([['c', iso(1)]]);
    // The refused writes did go through the proxy to the server, and came back refused.
    expect(proxy.requests().filter((r) => r.isDocumentWrite && r.status! >= 400).map((r) => [r.method, r.status])).toEqual([['POST', 409], ['PUT', 412], ['PUT', 404]]);
  });

  it('records nothing for a write the service answered 5xx, whole or per bulk operation (a stub service: the Cosmos server does not fail on demand)', async () => {
    const doc1 = doc('s', 1);
    const failing = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.headers['x-ms-cosmos-is-batch-request']) {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([{ statusCode: 500, requestCharge: 0 }, { statusCode: 429, requestCharge: 0 }, { statusCode: 201, requestCharge: 1, resourceBody: doc('t', 2) }]));
        } else res.writeHead(503, { 'content-type': 'application/json' }).end('{"code":"ServiceUnavailable"}');
      });
    });
    await new Promise<void>((r) => failing.listen(0, '127.0.0.1', r));
    const post = (body: unknown, headers: Record<string, string>) =>
      new Promise<number | undefined>((resolve, reject) => {
        const req = http.request(`${proxy.endpoint}dbs/proxy/colls/devices/docs`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        });
        req.on('error', reject);
        req.end(JSON.stringify(body));
      });
    try {
      proxy.setTarget(`http://127.0.0.1:${(failing.address() as AddressInfo).port}`);
      expect(await post(doc1, {})).toBe(503);
      const ops = [doc('u', 1), doc('v', 1), doc('t', 2)].map((resourceBody) => ({ operationType: 'Create', resourceBody }));
      expect(await post(ops, { 'x-ms-cosmos-is-batch-request': 'True' })).toBe(200);
    } finally {
      proxy.setTarget(cosmos.endpoint);
      failing.closeAllConnections();
      await new Promise<void>((r) => failing.close(() => r()));
    }
    expect(written()).toEqual([['t', iso(2)]]);
  });

  it('records each operation of a bulk request whose own status is 2xx, and no refused or read operation', async () => {
    const { etag } = await container.items.create(doc('e', 1));
    proxy.resetCounts();
    const results = await container.items.bulk(
      [
        { operationType: BulkOperationType.Create, resourceBody: doc('f', 2) },
        { operationType: BulkOperationType.Create, resourceBody: doc('e', 3) }, // exists: 409
        { operationType: BulkOperationType.Replace, id: 'e', resourceBody: doc('e', 4), ifMatch: '"stale"' }, // 412
        { operationType: BulkOperationType.Upsert, resourceBody: doc('g', 5) },
        { operationType: BulkOperationType.Read, id: 'e', partitionKey: 'e' },
        { operationType: BulkOperationType.Replace, id: 'e', resourceBody: doc('e', 6), ifMatch: etag! },
      ],
      { continueOnError: true },
    );
    expect(results.map((r) => r.statusCode)).toEqual([201, 409, 412, 201, 200, 200]);
    expect(written()).toEqual([['f', iso(2)], ['g', iso(5)], ['e', iso(6)]]);
    expect(documentWrites(proxy.requests())).toBe(6);
  });

  it('records nothing while recording is off, and resetCounts forgets what was recorded', async () => {
    await container.items.upsert(doc('h', 1));
    expect(written()).toEqual([['h', iso(1)]]);
    proxy.resetCounts();
    expect(written()).toEqual([]);
    proxy.recordStoredWrites(false);
    await container.items.upsert(doc('h', 2));
    expect(written()).toEqual([]);
    expect(documentWrites(proxy.requests())).toBe(1);
  });
});

describe('storedDocuments', () => {
  it('takes nothing from a failed answer or a body that is not what a write looks like', () => {
    const ok = { method: 'POST', path: '/dbs/x/colls/y/docs', bulk: false, status: 201, requestBody: { id: 'a', lastEventTime: '2030-01-01T00:00:00.000Z' } };
    expect(storedDocuments(ok)).toEqual([{ id: 'a', lastEventTime: '2030-01-01T00:00:00.000Z' }]);
    expect(storedDocuments({ ...ok, status: 429 })).toEqual([]);
    expect(storedDocuments({ ...ok, requestBody: { id: 'a' } })).toEqual([]);
    expect(storedDocuments({ ...ok, requestBody: undefined })).toEqual([]);
    expect(storedDocuments({ ...ok, method: 'DELETE', path: '/dbs/x/colls/y/docs/a' })).toEqual([]);
    // A bulk answer that is not an array of results (a whole-request failure body): nothing known stored.
    expect(storedDocuments({ ...ok, bulk: true, status: 200, requestBody: [{ operationType: 'Create', resourceBody: ok.requestBody }], responseBody: { code: 'x' } })).toEqual([]);
  });
});
