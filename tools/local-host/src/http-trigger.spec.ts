import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnHost, type SpawnedHost } from './index';
import { fixture } from './testing/records';

describe('HTTP trigger (spawned host, fixture app)', () => {
  let host: SpawnedHost;
  const get = (path: string, init?: RequestInit): Promise<Response> => fetch(host.baseUrl + path, init);

  const records = mkdtempSync(path.join(tmpdir(), 'http-app-records-'));
  beforeAll(async () => {
    host = await spawnHost({
      app: fixture('http-app/main.ts'),
      // The app registers a Durable trigger, so the built-in Durable extension needs a task hub store.
      settings: { GREETING: 'hi', 'AzureWebJobs.switchedOff.Disabled': 'true', TERMINATE_RECORD: path.join(records, 'terminate.json'), LOCAL_DURABLE_STORE_DIR: mkdtempSync(path.join(tmpdir(), 'http-app-durable-')) },
      masterKey: 'test-master',
      functionKey: 'test-function',
      functionKeys: { Secure: 'secure-only', boom: 'boom-only' },
      pluginModules: [fixture('durable-client-plugin.ts')],
    });
  });
  afterAll(async () => host?.stop());

  it('captures every registration, unknown trigger types included', async () => {
    expect(host.functions.map((f) => [f.name, f.triggerType, f.state])).toEqual([
      ['hello', 'httpTrigger', 'running'],
      ['secure', 'httpTrigger', 'running'],
      ['adminOnly', 'httpTrigger', 'running'],
      ['switchedOff', 'httpTrigger', 'disabled'],
      ['boom', 'httpTrigger', 'running'],
      ['orchestratorLike', 'orchestrationTrigger', 'running'], // built-in Durable driver
      ['withClient', 'httpTrigger', 'running'],
    ]);
  });

  it('runs with the heap limit of a default Flex Consumption instance and reports its memory in host status', async () => {
    const { memory } = await host.admin.status();
    // --max-old-space-size=512 (2048 MB / 4); V8 adds the young generation on top.
    expect(memory.heapLimitMb).toBeGreaterThanOrEqual(512);
    expect(memory.heapLimitMb).toBeLessThan(640);
    expect(memory.rssMb).toBeGreaterThan(memory.heapUsedMb);
    expect(memory.heapUsedMb).toBeGreaterThan(0);
  });

  it('a plugin resolves extra input bindings (the durableClient extension point)', async () => {
    const body = (await (await get('/api/withClient')).json()) as { starter: { taskHubName: string; rpcBaseUrl: string } };
    expect(body.starter).toMatchObject({ taskHubName: 'local', rpcBaseUrl: `${host.baseUrl}/durabletask/` });
  });

  it('routes with the api prefix, parameters, constraints; handlers get the real HttpRequest; settings are the env', async () => {
    const response = await get('/api/hello/bob?q=1');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ name: 'bob', q: '1', isHttpRequest: true, functionName: 'hello', appStarted: '1', greeting: 'hi' });
    expect((await get('/api/hello/b0b')).status).toBe(404); // alpha constraint
    expect((await get('/hello/bob')).status).toBe(404); // prefix required
    expect((await get('/api/hello/bob', { method: 'POST' })).status).toBe(404); // method not allowed
  });

  it('function auth: 401 with an empty body without a key or with a bad one, 2xx with header or code', async () => {
    const missing = await get('/api/items/5');
    expect(missing.status).toBe(401);
    expect(await missing.text()).toBe('');
    expect((await get('/api/items/5', { headers: { 'x-functions-key': 'nope' } })).status).toBe(401);
    const withHeader = await get('/api/items/5', { method: 'POST', body: 'abc', headers: { 'x-functions-key': 'test-function' } });
    expect(withHeader.status).toBe(201);
    expect(withHeader.headers.get('x-item')).toBe('5');
    expect(await withHeader.text()).toBe('POST:abc');
    expect((await get('/api/items/5?code=test-function')).status).toBe(201);
    // The header wins over the query.
    expect((await get('/api/items/5?code=test-function', { headers: { 'x-functions-key': 'bad' } })).status).toBe(401);
    expect((await get('/api/items/5?code=test-master')).status).toBe(201);
  });

  it('a function-scoped key opens its own function only (sites/functions/keys), never another function or admin', async () => {
    // Function names are case-insensitive: the key registered for "Secure" belongs to "secure".
    expect((await get('/api/items/5', { headers: { 'x-functions-key': 'secure-only' } })).status).toBe(201);
    expect((await get('/api/items/5?code=secure-only')).status).toBe(201);
    // Another function's own key does not open this one, and no scoped key reaches admin level.
    expect((await get('/api/items/5', { headers: { 'x-functions-key': 'boom-only' } })).status).toBe(401);
    expect((await get('/api/ops?code=secure-only')).status).toBe(401);
    expect((await get('/admin/functions', { headers: { 'x-functions-key': 'secure-only' } })).status).toBe(401);
  });

  it('admin auth level and /admin need the master key', async () => {
    expect((await get('/api/ops?code=test-function')).status).toBe(401);
    expect((await get('/api/ops?code=test-master')).status).toBe(200);
    expect((await get('/admin/functions')).status).toBe(401);
    expect((await get('/admin/functions', { headers: { 'x-functions-key': 'test-function' } })).status).toBe(401);
    expect((await host.admin.listFunctions()).length).toBe(7);
    expect((await host.admin.status()).state).toBe('Running');
  });

  it('a disabled function answers 404, a throwing one 500', async () => {
    expect((await get('/api/switchedOff')).status).toBe(404);
    expect((await get('/api/boom')).status).toBe(500);
    const metrics = await host.admin.metrics();
    expect(metrics['boom']).toMatchObject({ invocations: 1, failures: 1, successes: 0 });
    expect(metrics['switchedOff']).toMatchObject({ invocations: 0 });
  });

  it('pausing an HTTP function answers 503 until resumed', async () => {
    expect((await host.admin.pause('hello')).paused).toBe(true);
    expect((await get('/api/hello/bob')).status).toBe(503);
    await host.admin.resume('hello');
    expect((await get('/api/hello/bob')).status).toBe(200);
  });

  it('logs are single-line JSON on stderr and never carry secrets', () => {
    const logs = host.tail(200).split('\n').filter((line) => !line.startsWith('{"ready"'));
    expect(logs.length).toBeGreaterThan(5);
    for (const line of logs) expect(JSON.parse(line)).toHaveProperty('level');
    expect(logs.some((l) => l.includes('about to fail'))).toBe(true);
    expect(logs.join('\n')).not.toMatch(/supersecret|test-master|test-function/);
  });

  // Last: it stops the host.
  it('appStart and appTerminate share their hookData, as the worker\'s appLevelOnlyHookData', async () => {
    await host.stop();
    expect(JSON.parse(readFileSync(path.join(records, 'terminate.json'), 'utf8'))).toEqual({ hookData: { startedBy: 'appStart' } });
  });
});
