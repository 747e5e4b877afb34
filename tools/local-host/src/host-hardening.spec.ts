import { request as httpRequest, type ClientRequest } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnHost, type SpawnedHost } from './index';
import { fixture } from './testing/records';

// Generous: CI shares a loaded 2-core machine.
jest.setTimeout(180_000);

const MASTER = 'hardening-master-key-0123456789abcdef';
const FUNCTION = 'hardening-function-key-0123456789ab_-';
const LIMIT = 1024;

/**
 * Sends a request whose body is written by `write` and never ended; resolves with the status as
 * soon as a response arrives (so a host that waits for the whole body never answers: the bounded
 * wait fails the test instead of hanging).
 */
function statusBeforeBodyEnds(url: string, headers: Record<string, string>, write: (req: ClientRequest) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error('no response while the body was still being sent'));
    }, 60_000);
    const req = httpRequest(url, { method: 'POST', headers }, (res) => {
      clearTimeout(timer);
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    // Once answered, the host closes the connection under our feet: expected.
    req.on('error', () => undefined);
    write(req);
  });
}

describe('local host hardening (spawned host, fixture app)', () => {
  let host: SpawnedHost;
  const get = (p: string, init?: RequestInit): Promise<Response> => fetch(host.baseUrl + p, init);
  const withKey = (key: string): RequestInit => ({ headers: { 'x-functions-key': key } });

  beforeAll(async () => {
    host = await spawnHost({
      app: fixture('http-app/main.ts'),
      settings: {
        LOCAL_DURABLE_STORE_DIR: mkdtempSync(path.join(tmpdir(), 'hardening-durable-')),
        FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: String(LIMIT),
        LOCAL_HOST_ALLOWED_HOSTS: 'forwarded.example',
      },
      masterKey: MASTER,
      functionKey: FUNCTION,
    });
  });
  afterAll(async () => host?.stop());

  it('serves the Durable RPC API only on a loopback listener the worker is told about, not on the public port', async () => {
    const { starter } = (await (await get('/api/withClient')).json()) as { starter: { rpcBaseUrl: string; requiredQueryStringParameters: string } };
    expect(starter.rpcBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/durabletask\/$/);
    expect(starter.rpcBaseUrl.startsWith(`${host.baseUrl}/`)).toBe(false);
    // Anonymous on the public port: no entity read (the breaker's nonce), no raiseEvent (resume).
    expect((await get('/durabletask/entities/breaker/ingestion')).status).toBe(404);
    expect((await get('/durabletask/instances/breaker-1/raiseEvent/approval', { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await get('/durabletask/instances/')).status).toBe(404);
    // The public webhook API needs the extension's system key (in the links the client hands out)
    // or the master key; a function key, such as the one the dashboard holds, is not enough.
    const systemKey = decodeURIComponent(starter.requiredQueryStringParameters.replace(/^code=/, ''));
    expect(systemKey).not.toBe(FUNCTION);
    for (const init of [undefined, withKey(FUNCTION)]) {
      expect((await get('/runtime/webhooks/durabletask/instances/', init)).status).toBe(401);
      expect((await get('/runtime/webhooks/durabletask/entities/breaker/ingestion', init)).status).toBe(401);
      expect((await get('/runtime/webhooks/durabletask/instances/nobody/raiseEvent/approval', { method: 'POST', body: '{}', ...init })).status).toBe(401);
    }
    expect((await get('/runtime/webhooks/durabletask/instances/', withKey(systemKey))).status).toBe(200);
    expect((await get('/api/items/5', withKey(systemKey))).status).toBe(401); // not a function key
    expect((await get(`/runtime/webhooks/durabletask/instances/?${starter.requiredQueryStringParameters}`)).status).toBe(200);
    expect((await get('/runtime/webhooks/durabletask/entities/breaker/ingestion', withKey(MASTER))).status).toBe(404);
    // The worker's endpoint answers without a key, as the durable-functions client expects.
    expect((await fetch(`${starter.rpcBaseUrl}instances/`)).status).toBe(200);
    // Not advertised: neither the ready line nor the admin API names it.
    const port = new URL(starter.rpcBaseUrl).port;
    expect(JSON.stringify(host.functions) + JSON.stringify(await host.admin.status())).not.toContain(`:${port}`);
  });

  it(`caps request bodies at FUNCTIONS_REQUEST_BODY_SIZE_LIMIT (${LIMIT} bytes here) and answers 413 without reading the rest`, async () => {
    const post = (body: string): Promise<Response> => get('/api/items/5', { method: 'POST', body, headers: { 'x-functions-key': FUNCTION } });
    expect((await post('x'.repeat(LIMIT))).status).toBe(201);
    expect((await post('x'.repeat(LIMIT + 1))).status).toBe(413);
    const headers = { 'x-functions-key': FUNCTION };
    // A declared 200 MB body: refused on its Content-Length while only 1 KB has been sent.
    const declared = await statusBeforeBodyEnds(`${host.baseUrl}/api/items/5`, { ...headers, 'content-length': String(200 * 1024 * 1024) }, (req) => req.write('y'.repeat(1024)));
    expect(declared).toBe(413);
    // A chunked body: refused once it passes the cap, while the sender is still sending.
    const chunked = await statusBeforeBodyEnds(`${host.baseUrl}/api/items/5`, headers, (req) => {
      for (let i = 0; i < 3; i++) req.write('z'.repeat(600));
    });
    expect(chunked).toBe(413);
    // Expect: 100-continue: a body over the cap is refused before the client is told to send it;
    // one within the cap gets 100 Continue once the function is about to read it.
    const expectContinue = (length: number, body: string): Promise<{ status: number; continued: boolean }> =>
      new Promise((resolve, reject) => {
        let continued = false;
        const req = httpRequest(`${host.baseUrl}/api/items/5`, { method: 'POST', headers: { ...headers, expect: '100-continue', 'content-length': String(length) } }, (res) => {
          res.resume();
          res.once('end', () => resolve({ status: res.statusCode ?? 0, continued }));
        });
        req.on('continue', () => {
          continued = true;
          req.end(body);
        });
        req.on('error', reject);
      });
    expect(await expectContinue(200 * 1024 * 1024, '')).toEqual({ status: 413, continued: false });
    expect(await expectContinue(3, 'abc')).toEqual({ status: 201, continued: true });
    // The Durable webhook API reads bodies under the same cap.
    const webhook = await get('/runtime/webhooks/durabletask/instances/nobody/raiseEvent/approval', { method: 'POST', body: 'w'.repeat(LIMIT + 1), headers: { 'x-functions-key': MASTER } });
    expect(webhook.status).toBe(413);
    // The host keeps serving.
    expect((await get('/api/hello/bob')).status).toBe(200);
  });

  it('answers what Kestrel answers for malformed percent-escapes: literal text (404 here), 400 for %00, never 500', async () => {
    expect((await get('/api/hello/b%6Fb')).status).toBe(200); // valid escapes decode
    expect((await get('/api/hello/%E0%A4%A')).status).toBe(404); // literal "%E0%A4%A" is not alpha
    expect((await get('/api/hello/%zz')).status).toBe(404);
    expect((await get('/api/items/%ff', withKey(FUNCTION))).status).toBe(404);
    expect((await get('/api/hello/b%00b')).status).toBe(400);
    expect((await get('/runtime/webhooks/durabletask/instances/%E0%A4%A', withKey(MASTER))).status).toBe(404);
    expect((await get('/runtime/webhooks/durabletask/entities/breaker/%zz', withKey(MASTER))).status).toBe(404);
    expect((await get('/admin/functions/%E0%A4%A/pause', { method: 'POST', ...withKey(MASTER) })).status).toBe(404);
    const { starter } = (await (await get('/api/withClient')).json()) as { starter: { rpcBaseUrl: string } };
    expect((await fetch(`${starter.rpcBaseUrl}instances/%E0%A4%A`)).status).toBe(404);
    expect((await fetch(`${starter.rpcBaseUrl}instances/a%00b`)).status).toBe(400);
  });

  it('refuses requests that name another host (DNS rebinding from a browser): 404, as a front end routing by host name', async () => {
    const port = Number(new URL(host.baseUrl).port);
    const withHost = (hostHeader: string, target = '/api/hello/bob'): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: target, headers: { host: hostHeader } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await withHost(`127.0.0.1:${port}`)).toBe(200);
    expect(await withHost(`localhost:${port}`)).toBe(200);
    expect(await withHost(`attacker.example:${port}`)).toBe(404);
    expect(await withHost('attacker.example')).toBe(404);
    expect(await withHost(`forwarded.example:${port}`)).toBe(200); // LOCAL_HOST_ALLOWED_HOSTS
    expect(await withHost(`localhost:${port + 1}`)).toBe(200); // an SSH tunnel to another local port
    const { starter } = (await (await get('/api/withClient')).json()) as { starter: { rpcBaseUrl: string } };
    const rpc = new URL(starter.rpcBaseUrl);
    const rpcStatus = (hostHeader: string): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port: Number(rpc.port), path: '/durabletask/instances/', headers: { host: hostHeader } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await rpcStatus(rpc.host)).toBe(200);
    expect(await rpcStatus(`attacker.example:${rpc.port}`)).toBe(404);
  });

  it('receives its keys outside the command line (/proc/<pid>/cmdline is world-readable)', async () => {
    expect(host.masterKey).toBe(MASTER);
    expect(host.functionKey).toBe(FUNCTION);
    const cmdline = readFileSync(`/proc/${host.pid}/cmdline`, 'utf8');
    expect(cmdline).toContain('--app');
    expect(cmdline).not.toContain(MASTER);
    expect(cmdline).not.toContain(FUNCTION);
    // The key still works, so it did arrive.
    expect((await get('/admin/functions', withKey(MASTER))).status).toBe(200);
  });
});
