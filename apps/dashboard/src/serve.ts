import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { buildDashboardFiles, configFile, type DashboardFiles } from './build-dashboard';

export interface ServeDashboardOptions {
  /** 0 = a free port. */
  port?: number;
  /** Loopback only by default. */
  host?: string;
  /** The device-status app's base URL (e.g. the local host's baseUrl); /api/* is proxied there. */
  apiBaseUrl: string;
  /** Function key added to proxied requests server-side: it never reaches the browser. */
  functionKey?: string;
  /** Poll interval for the page, ms. */
  refreshMs?: number;
  /** Prebuilt files (tests, repeated starts); built from source when omitted. */
  files?: DashboardFiles;
}

export interface DashboardServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { html: 'text/html; charset=utf-8', css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8', json: 'application/json; charset=utf-8' };

/**
 * Serves the dashboard for local use: the static files, a config.json pointing the page at its
 * own origin, and a same-origin reverse proxy `/api/*` -> apiBaseUrl that adds the function key.
 * (The local Functions host does no CORS, and the key stays out of the browser.)
 */
export async function serveDashboard(options: ServeDashboardOptions): Promise<DashboardServer> {
  const files = new Map(options.files ?? (await buildDashboardFiles()));
  files.set('config.json', configFile({ apiBaseUrl: '', ...(options.refreshMs ? { refreshMs: options.refreshMs } : {}) }));
  const api = new URL(options.apiBaseUrl);
  const client = api.protocol === 'https:' ? https : http;
  const agent = new client.Agent({ keepAlive: true, maxSockets: 16 });
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/api/')) return proxy(req, res, url);
    const name = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
    const body = files.get(name);
    if (!body || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });

  function proxy(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    const headers: http.OutgoingHttpHeaders = { ...req.headers, host: api.host };
    delete headers['cookie'];
    if (options.functionKey) headers['x-functions-key'] = options.functionKey;
    url.searchParams.delete('code');
    const upstream = client.request(
      { protocol: api.protocol, hostname: api.hostname, port: api.port, method: req.method, path: `${api.pathname.replace(/\/$/, '')}${url.pathname}${url.search}`, headers, agent, timeout: 15_000 },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    const fail = () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'API_UNREACHABLE', message: 'the device-status API did not answer' }));
      else res.destroy();
    };
    upstream.on('timeout', () => upstream.destroy(new Error('timeout')));
    upstream.on('error', fail);
    req.pipe(upstream);
  }

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/`,
    port,
    async close() {
      for (const s of sockets) s.destroy();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
