import { CosmosClient, type Container } from '@azure/cosmos';
import { QueueClient } from '@azure/storage-queue';
import { PipelineError } from '@telemetry/core';
import { ensureDeviceStateContainer } from '@telemetry/provisioning';
import { buildDeadLetter } from '@telemetry/dead-letter';
import { encodeDeadLetter, RESOURCE_NAMES } from '@telemetry/contracts';
import { encodeContinuation } from '@telemetry/device-queries';
import { bundleFunctionApp, deviceDoc, seedDevices } from '@telemetry/device-queries/testing';
import { spawnHost, type SpawnedHost } from '@telemetry/local-host';
import { startAzurite, startCosmosServer, startFaultProxy, type AzuriteInstance, type CosmosServerInstance, type FaultProxy } from '@telemetry/local-services';

const KEY = 'test-function-key-0123456789';
const id = (i: number) => `drone-${String(i).padStart(2, '0')}`;

describe('device status API under the local host, on the Cosmos server and Azurite', () => {
  let cosmos: CosmosServerInstance;
  let azurite: AzuriteInstance;
  let proxy: FaultProxy;
  let container: Container;
  let host: SpawnedHost;

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${host.baseUrl}${path}`, { headers: { 'x-functions-key': KEY, ...headers } });

  beforeAll(async () => {
    const [bundle, c, a] = await Promise.all([bundleFunctionApp('apps/device-status'), startCosmosServer(), startAzurite()]);
    cosmos = c;
    azurite = a;
    proxy = await startFaultProxy(cosmos.endpoint);
    container = await ensureDeviceStateContainer(new CosmosClient({ endpoint: cosmos.endpoint, key: cosmos.key, connectionPolicy: { enableEndpointDiscovery: false } }), 'telemetry', 'devices');
    await seedDevices(container, Array.from({ length: 23 }, (_, i) => deviceDoc(id(i), { battery: i / 23, position: { latitude: 40 + i / 10, longitude: -120 + i / 10, altitude: 50 } })));
    const queue = new QueueClient(azurite.connectionString, RESOURCE_NAMES.deadLetterQueue);
    await queue.create();
    const event = { body: Buffer.from('{'), partitionId: '0', sequenceNumber: 1, offset: '1', enqueuedTimeUtc: new Date().toISOString(), partitionKey: null, properties: {} };
    await queue.sendMessage(encodeDeadLetter(buildDeadLetter({ error: new PipelineError('EVENT_MALFORMED', 'bad json'), event, attempts: 0, app: 'test' })));
    host = await spawnHost({
      app: bundle,
      functionKey: KEY,
      settings: {
        COSMOS_ENDPOINT: proxy.endpoint, COSMOS_KEY: cosmos.key,
        // Long enough that a healthy call on a loaded machine answers in time; the outage still fails fast.
        COSMOS_REQUEST_TIMEOUT_MS: '5000', COSMOS_CALL_TIMEOUT_MS: '5000', OPS_PROBE_TIMEOUT_MS: '8000',
        DeadLetterStorage: azurite.connectionString, AzureWebJobsStorage: azurite.connectionString,
      },
    });
  }, 180_000);
  afterAll(async () => {
    await host?.stop();
    await proxy?.close();
    await Promise.all([cosmos?.stop(), azurite?.stop()]);
  });

  it('no route resumes the breaker: the read-only key cannot change anything (issue 13 item 6)', async () => {
    // The app registers read routes only (it had a resumeBreaker function before the fix).
    const functions = await host.admin.listFunctions();
    // Routes: reads only. The one other function is the lag reporter's timer (issue 19), which has none.
    expect(functions.filter((f) => f.route !== undefined).map((f) => `${f.name} ${f.route}`).sort()).toEqual(['getDevice devices/{deviceId}', 'listDevices devices', 'opsSummary ops/summary']);
    expect(functions.filter((f) => f.route === undefined).map((f) => f.name)).toEqual(['reportHubLag']);
    const resume = await fetch(`${host.baseUrl}/api/ops/breaker/resume`, { method: 'POST', headers: { 'x-functions-key': KEY } });
    expect(resume.status).toBe(404);
    for (const method of ['POST', 'PUT', 'DELETE']) {
      expect({ method, status: (await fetch(`${host.baseUrl}/api/devices`, { method, headers: { 'x-functions-key': KEY } })).status }).toEqual({ method, status: 404 });
    }
  });

  it('function-level auth: 401 without the key', async () => {
    expect((await fetch(`${host.baseUrl}/api/devices`)).status).toBe(401);
    expect((await fetch(`${host.baseUrl}/api/devices/${id(1)}`)).status).toBe(401);
    expect((await fetch(`${host.baseUrl}/api/ops/summary`)).status).toBe(401);
  });

  it('pages across several pages by nextLink: disjoint, ordered, all 23 devices', async () => {
    const pages: string[][] = [];
    let link: string | undefined = '/api/devices?pageSize=5';
    while (link && pages.length < 20) {
      const response = await get(link);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { devices: { deviceId: string }[]; continuation?: string; nextLink?: string };
      pages.push(body.devices.map((d) => d.deviceId));
      if (body.nextLink) expect(body.continuation).toMatch(/^[A-Za-z0-9_-]+$/);
      link = body.nextLink;
    }
    expect(pages.map((p) => p.length)).toEqual([5, 5, 5, 5, 3]);
    expect(pages.flat()).toEqual(Array.from({ length: 23 }, (_, i) => id(i)));
  });

  it('filters: low battery within a bounding box, updated since', async () => {
    const response = await get('/api/devices?batteryBelow=0.5&bbox=-119.5,40,-118,42&updatedSince=2025-12-31T00:00:00Z');
    const body = (await response.json()) as { devices: { deviceId: string; battery: number }[]; nextLink?: string };
    // bbox: longitude >= -119.5 -> i >= 5; battery < 0.5 -> i <= 11.
    expect(body.devices.map((d) => d.deviceId)).toEqual([5, 6, 7, 8, 9, 10, 11].map(id));
    expect(body.nextLink).toBeUndefined();
    const none = (await (await get('/api/devices?updatedSince=2030-01-01T00:00:00Z')).json()) as { devices: unknown[] };
    expect(none.devices).toEqual([]);
  });

  it('invalid parameters: 400 with a clear message', async () => {
    const cases: [string, RegExp][] = [
      ['/api/devices?bbox=1,2', /bbox must be four numbers: west,south,east,north/],
      ['/api/devices?pageSize=9999&batteryBelow=x', /batteryBelow must be a number; pageSize must be <= 500/],
      ['/api/devices?since=2026-01-01T00:00:00Z', /unknown parameter\(s\): since/],
      // Cosmos answers 400 for a token it cannot use (the local server accepts some forged ones).
      [`/api/devices?continuation=${encodeContinuation('{"x":1}')}`, /continuation is invalid/],
      // Well-formed base64url of text no Cosmos token holds (issue 13 item 13: was a 503).
      [`/api/devices?continuation=${encodeContinuation('\u0000\u0000\u0000')}`, /continuation is not a token this API issued/],
      ['/api/devices?constructor=1', /unknown parameter\(s\): constructor/],
      ['/api/devices/bad%20id', /deviceId must be/],
    ];
    for (const [path, message] of cases) {
      const response = await get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 400 });
      expect(((await response.json()) as { message: string }).message).toMatch(message);
    }
  });

  it('GET one device: 200 with an ETag, 304 for If-None-Match, 200 with a new ETag after a write, 404 for unknown ids', async () => {
    const first = await get(`/api/devices/${id(7)}`);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    expect(await first.json()).toMatchObject({ deviceId: id(7), battery: 7 / 23, position: { latitude: 40.7 } });

    const cached = await get(`/api/devices/${id(7)}`, { 'if-none-match': etag });
    expect(cached.status).toBe(304);
    expect(cached.headers.get('etag')).toBe(etag);
    expect(await cached.text()).toBe('');

    await container.items.upsert(deviceDoc(id(7), { battery: 0.02 }));
    const changed = await get(`/api/devices/${id(7)}`, { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(((await changed.json()) as { battery: number }).battery).toBe(0.02);

    const missing = await get('/api/devices/no-such-drone');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'NOT_FOUND', message: 'no device no-such-drone' });
  });

  it('ops summary: device count and dead letters by code; unconfigured parts say so', async () => {
    const summary = (await (await get('/api/ops/summary')).json()) as Record<string, { status: string; data?: unknown }>;
    expect(summary['devices']).toEqual({ status: 'ok', data: { count: 23 } });
    expect(summary['deadLetters']).toMatchObject({ status: 'ok', data: { depth: 1, sampled: 1, byCode: { EVENT_MALFORMED: 1 } } });
    expect(summary['eventHub']).toMatchObject({ status: 'not-configured' });
    expect(summary['breaker']).toMatchObject({ status: 'not-configured' });
    // The reprocessor's parking table does not exist yet: nothing parked.
    expect(summary['parked']).toEqual({ status: 'ok', data: { table: RESOURCE_NAMES.parkingTable, count: 0, capped: false, byCode: {} } });
    const resume = await fetch(`${host.baseUrl}/api/ops/breaker/resume`, { method: 'POST', headers: { 'x-functions-key': KEY } });
    expect(resume.status).toBe(404);
  });

  it('Cosmos down: 503 with a retryable code; the summary marks devices as an error; all clears when it is back', async () => {
    proxy.setMode({ kind: 'down' });
    try {
      const list = await get('/api/devices');
      expect(list.status).toBe(503);
      expect(list.headers.get('retry-after')).toBe('5');
      expect(await list.json()).toEqual({ error: expect.stringMatching(/^STORE_(UNAVAILABLE|TIMEOUT)$/), message: expect.any(String) });
      expect((await get(`/api/devices/${id(1)}`)).status).toBe(503);
      const summary = (await (await get('/api/ops/summary')).json()) as Record<string, { status: string }>;
      expect(summary['devices']?.status).toBe('error');
      expect(summary['deadLetters']?.status).toBe('ok');
    } finally {
      proxy.setMode({ kind: 'pass' });
    }
    expect((await get('/api/devices?pageSize=1')).status).toBe(200);
  });
});
