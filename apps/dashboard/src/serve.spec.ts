import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '@telemetry/local-services';
import { buildDashboardFiles } from './build-dashboard';
import { serveDashboard, type DashboardServer } from './serve';

describe('serveDashboard', () => {
  let api: http.Server;
  let apiUrl: string;
  const seen: { url: string; key: string | undefined }[] = [];
  const servers: DashboardServer[] = [];

  beforeAll(async () => {
    api = http.createServer((req, res) => {
      seen.push({ url: req.url ?? '', key: req.headers['x-functions-key'] as string | undefined });
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

  it('answers 502 API_UNREACHABLE when the status API is down', async () => {
    const server = await serveDashboard({ apiBaseUrl: `http://127.0.0.1:${await freePort()}`, files: new Map() });
    servers.push(server);
    const response = await fetch(`${server.url}api/ops/summary`);
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ error: 'API_UNREACHABLE', message: expect.any(String) });
  });
});
