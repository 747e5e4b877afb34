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

const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])$/;

/**
 * Why the proxy refuses a request, if it does. The proxy adds the device-status function key to
 * what it forwards, so it must not become anyone's confused deputy:
 * - GET/HEAD only (405): the dashboard only reads; nothing state-changing is reachable through
 *   it, so a cross-site form POST (a "simple" request no browser preflights) gets nowhere.
 * - no cross-site or cross-origin caller (403): a page elsewhere may still make the browser send
 *   a GET (an <img>, a no-cors fetch); `Sec-Fetch-Site` / `Origin` show it, and it is refused.
 * - only a loopback Host (421): a DNS-rebinding page reaching 127.0.0.1 under its own name would
 *   otherwise count as same-origin.
 */
export function refuseProxy(req: http.IncomingMessage, port: number): { status: number; error: string; message: string } | undefined {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return { status: 405, error: 'METHOD_NOT_ALLOWED', message: 'the dashboard proxy only reads (GET, HEAD)' };
  }
  const host = (req.headers.host ?? '').toLowerCase();
  const hostName = host.replace(/:\d+$/, '');
  if (!LOOPBACK_HOST.test(hostName) || (host !== hostName && host.slice(hostName.length + 1) !== String(port))) {
    return { status: 421, error: 'MISDIRECTED_REQUEST', message: 'the dashboard answers on its loopback address only' };
  }
  const site = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  if ((site !== undefined && site !== 'same-origin' && site !== 'none') || (origin !== undefined && origin !== `http://${host}`)) {
    return { status: 403, error: 'CROSS_SITE_REFUSED', message: 'the dashboard proxy serves its own page only' };
  }
  return undefined;
}

/**
 * Headers on every answer: no other site may frame the page (the only action on it is a link to
 * the breaker's approval page, but a framed page can still be dressed up to mislead), no MIME
 * sniffing, no referrer.
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * The request headers the proxy forwards: what a read needs, nothing that frames the body.
 * `content-length`, `transfer-encoding` or `expect` on a GET would make the API wait for a body
 * the proxy never sends, holding one of its sockets until the timeout (16 such requests froze
 * the dashboard); `cookie` and `authorization` are not the API's business.
 */
const FORWARDED_HEADERS = ['accept', 'accept-encoding', 'accept-language', 'if-none-match', 'if-modified-since', 'cache-control', 'traceparent', 'tracestate'];

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
  let port = 0;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/api/')) return proxy(req, res, url);
    const name = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
    const body = files.get(name);
    if (!body || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain', ...PAGE_HEADERS }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream', 'cache-control': 'no-cache', ...PAGE_HEADERS });
    res.end(req.method === 'HEAD' ? undefined : body);
  });

  function proxy(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    const refusal = refuseProxy(req, port);
    if (refusal) {
      res.writeHead(refusal.status, { 'content-type': 'application/json', ...PAGE_HEADERS, ...(refusal.status === 405 ? { allow: 'GET, HEAD' } : {}) })
        .end(JSON.stringify({ error: refusal.error, message: refusal.message }));
      return;
    }
    const headers: http.OutgoingHttpHeaders = { host: api.host };
    for (const name of FORWARDED_HEADERS) if (req.headers[name] !== undefined) headers[name] = req.headers[name];
    if (options.functionKey) headers['x-functions-key'] = options.functionKey;
    url.searchParams.delete('code');
    const upstream = client.request(
      { protocol: api.protocol, hostname: api.hostname, port: api.port, method: req.method, path: `${api.pathname.replace(/\/$/, '')}${url.pathname}${url.search}`, headers, agent, timeout: 15_000 },
      (up) => {
        res.writeHead(up.statusCode ?? 502, { ...up.headers, ...PAGE_HEADERS });
        up.pipe(res);
      },
    );
    const fail = () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json', ...PAGE_HEADERS }).end(JSON.stringify({ error: 'API_UNREACHABLE', message: 'the device-status API did not answer' }));
      else res.destroy();
    };
    upstream.on('timeout', () => upstream.destroy(new Error('timeout')));
    upstream.on('error', fail);
    upstream.end(); // GET/HEAD: no body is forwarded
  }

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  port = (server.address() as AddressInfo).port;
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
