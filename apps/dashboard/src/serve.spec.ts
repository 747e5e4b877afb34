import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort, httpGet as get } from '@telemetry/local-services';
import { buildDashboardFiles } from './build-dashboard';
import { serveDashboard, type DashboardServer } from './serve';

describe('serveDashboard', () => {
  let api: http.Server;
  let apiUrl: string;
  const seen: { url: string; key: string | undefined }[] = [];
  const seenHeaders: http.IncomingHttpHeaders[] = [];
  const servers: DashboardServer[] = [];

  beforeAll(async () => {
    api = http.createServer((req, res) => {
      seen.push({ url: req.url ?? '', key: req.headers['x-functions-key'] as string | undefined });
      seenHeaders.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json', etag: '"e1"' }).end('{"ok":true}');
    });
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    await new Promise<void>((r) => api.close(() => r()));
  });

  it('serves the built page and a same-origin config without the key; proxies /api with the key added server-side', async () => {
    const server = await serveDashboard({ apiBaseUrl: apiUrl, functionKey: 'secret-key', files: await buildDashboardFiles({ minify: false }) });
    servers.push(server);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(server.url);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<script src="app.js">');
    expect((await fetch(`${server.url}app.js`)).status).toBe(200);
    expect(await (await fetch(`${server.url}config.json`)).json()).toEqual({ apiBaseUrl: '' });
    expect((await fetch(`${server.url}../etc/passwd`)).status).toBe(404);

    const proxied = await fetch(`${server.url}api/devices?pageSize=2&code=from-browser`);
    expect(proxied.status).toBe(200);
    expect(proxied.headers.get('etag')).toBe('"e1"');
    expect(seen.at(-1)).toEqual({ url: '/api/devices?pageSize=2', key: 'secret-key' });
  });

  it('refuses a cross-site form POST (405), any other write, and cross-site or rebound reads; the API sees none of them', async () => {
    const server = await serveDashboard({ apiBaseUrl: apiUrl, functionKey: 'secret-key', files: new Map() });
    servers.push(server);
    const before = seen.length;
    // What a form on any web page makes a browser send: a "simple" POST, never preflighted.
    const form = await fetch(`${server.url}api/ops/breaker/resume`, {
      method: 'POST',
      headers: { origin: 'https://attacker.example', 'sec-fetch-site': 'cross-site', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=mallory',
    });
    expect(form.status).toBe(405);
    expect(form.headers.get('allow')).toBe('GET, HEAD');
    expect(await form.json()).toMatchObject({ error: 'METHOD_NOT_ALLOWED' });
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      expect({ method, status: (await fetch(`${server.url}api/ops/breaker/resume`, { method })).status }).toEqual({ method, status: 405 });
    }
    // A cross-site read (an <img>, a no-cors fetch) and a DNS-rebinding Host are refused too.
    const crossSite = await get(`${server.url}api/ops/summary`, { origin: 'https://attacker.example', 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    expect((await get(`${server.url}api/ops/summary`, { host: `attacker.example:${server.port}` })).status).toBe(421);
    expect(seen.length).toBe(before);
    // The page's own reads still pass.
    expect((await get(`${server.url}api/ops/summary`, { 'sec-fetch-site': 'same-origin', origin: server.url.replace(/\/$/, '') })).status).toBe(200);
    expect(seen.length).toBe(before + 1);
  });

  it('forwards only the headers a read needs: a GET claiming a body cannot hold the API waiting for it', async () => {
    const server = await serveDashboard({ apiBaseUrl: apiUrl, functionKey: 'secret-key', files: new Map() });
    servers.push(server);
    // Without the allow-list the API waited 15 s for 5 bytes that never come, holding one of the proxy's 16 sockets.
    const answered = await get(`${server.url}api/ops/summary`, {
      'content-length': '5', expect: '100-continue', cookie: 'session=x', authorization: 'Bearer t', accept: 'application/json', 'if-none-match': '"e0"', connection: 'keep-alive', upgrade: 'h2c',
    });
    expect(answered.status).toBe(200);
    const forwarded = seenHeaders.at(-1)!;
    for (const name of ['content-length', 'transfer-encoding', 'expect', 'cookie', 'authorization', 'upgrade']) expect([name, forwarded[name]]).toEqual([name, undefined]);
    expect(forwarded).toMatchObject({ accept: 'application/json', 'if-none-match': '"e0"', 'x-functions-key': 'secret-key' });
  });

  it('no other site may frame the page or its answers', async () => {
    const server = await serveDashboard({ apiBaseUrl: apiUrl, files: await buildDashboardFiles({ minify: false }) });
    servers.push(server);
    for (const path of ['', 'app.js', 'missing', 'api/ops/summary']) {
      const { headers } = await get(`${server.url}${path}`, {});
      expect([path, headers['x-frame-options'], headers['content-security-policy']]).toEqual([path, 'DENY', "frame-ancestors 'none'"]);
    }
  });

  it('answers 502 API_UNREACHABLE when the status API is down', async () => {
    const server = await serveDashboard({ apiBaseUrl: `http://127.0.0.1:${await freePort()}`, files: new Map() });
    servers.push(server);
    const response = await fetch(`${server.url}api/ops/summary`);
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ error: 'API_UNREACHABLE', message: expect.any(String) });
  });
});
