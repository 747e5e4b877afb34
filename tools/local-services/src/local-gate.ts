import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';
import { freePort } from './free-port';

/** Basic credentials: who may pass the gate, or what the gate presents to the service behind it. */
export interface BasicCredentials {
  user: string;
  password: string;
}

export interface LocalGate {
  /** The gate's own URL (`http://127.0.0.1:<port>/`): what users open. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface LocalGateOptions {
  /** The service behind the gate, on loopback (`http://127.0.0.1:<port>`). */
  target: string;
  /** What a request must present (HTTP Basic) to pass. */
  credentials: BasicCredentials;
  /** What the gate presents to the service in their place (its own Basic credentials), if any. */
  targetCredentials?: BasicCredentials;
  /** Shown in the browser's sign-in prompt. */
  realm: string;
}

/** A fresh credential pair for a gate: a fixed user name, 24 random bytes of password. */
export function newBasicCredentials(user: string): BasicCredentials {
  return { user, password: randomBytes(24).toString('base64url') };
}

const basic = (c: BasicCredentials): string => `Basic ${Buffer.from(`${c.user}:${c.password}`, 'utf8').toString('base64')}`;

function sameSecret(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? '', 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

const LOOPBACK = /^(127\.0\.0\.1|localhost|\[::1\])$/;

/**
 * Why a request may not pass, or undefined. The checks a local web UI needs and third-party tools
 * lack: a `Host` that is a loopback name with the gate's port (DNS rebinding), no cross-site
 * request (`Sec-Fetch-Site`, or an `Origin` other than the gate's own), and the gate's credentials.
 */
export function gateRefusal(headers: http.IncomingHttpHeaders, port: number, credentials: BasicCredentials): { status: number; reason: string } | undefined {
  const host = (headers.host ?? '').toLowerCase();
  const name = host.replace(/:\d+$/, '');
  if (!LOOPBACK.test(name) || host.slice(name.length) !== `:${port}`) return { status: 421, reason: 'answers on its loopback address only' };
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return { status: 403, reason: 'cross-site requests are refused' };
  if (headers.origin !== undefined && headers.origin !== `http://${host}`) return { status: 403, reason: 'cross-origin requests are refused' };
  if (!sameSecret(headers.authorization, basic(credentials))) return { status: 401, reason: 'sign in with the credentials in .local/stack.json' };
  return undefined;
}

/** Response headers a browser would act on across origins: the gate never passes them on. */
const CROSS_ORIGIN_HEADERS = /^access-control-/i;

/**
 * A loopback reverse proxy in front of a local tool's web UI (MailDev's), so that only the holder
 * of the stack's credentials reaches it, and no web page can, whatever the tool itself allows
 * (MailDev answers any Origin with `Access-Control-Allow-Origin: <origin>` and
 * `Allow-Credentials: true`, and accepts any Host). HTTP and WebSocket upgrades are forwarded;
 * the service's CORS headers are dropped; the request's credentials are replaced by the
 * service's own, which only the gate holds.
 */
export async function startLocalGate(options: LocalGateOptions): Promise<LocalGate> {
  const target = new URL(options.target);
  const targetAuth = options.targetCredentials ? basic(options.targetCredentials) : undefined;
  const agent = new http.Agent({ keepAlive: true });
  const sockets = new Set<Socket>();
  let port = 0;

  const forwardHeaders = (headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders => {
    const out: http.OutgoingHttpHeaders = { ...headers, host: target.host };
    delete out['authorization'];
    delete out['origin'];
    if (targetAuth) out['authorization'] = targetAuth;
    return out;
  };

  const server = http.createServer((req, res) => {
    const refusal = gateRefusal(req.headers, port, options.credentials);
    if (refusal) {
      req.resume();
      res.writeHead(refusal.status, {
        'content-type': 'text/plain; charset=utf-8',
        ...(refusal.status === 401 ? { 'www-authenticate': `Basic realm="${options.realm}", charset="UTF-8"` } : {}),
      }).end(`${options.realm}: ${refusal.reason}\n`);
      return;
    }
    const upstream = http.request(
      { hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: forwardHeaders(req.headers), agent },
      (up) => {
        const headers: http.OutgoingHttpHeaders = {};
        for (const [name, value] of Object.entries(up.headers)) if (!CROSS_ORIGIN_HEADERS.test(name)) headers[name] = value;
        res.writeHead(up.statusCode ?? 502, { ...headers, 'x-frame-options': 'SAMEORIGIN' });
        up.pipe(res);
      },
    );
    upstream.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502, { 'content-type': 'text/plain' }).end(`${options.realm}: the service did not answer\n`)));
    req.pipe(upstream);
  });

  server.on('upgrade', (req: http.IncomingMessage, client: Socket, head: Buffer) => {
    const refusal = gateRefusal(req.headers, port, options.credentials);
    if (refusal) {
      client.end(`HTTP/1.1 ${refusal.status} ${http.STATUS_CODES[refusal.status] ?? ''}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    const upstream = net.connect(Number(target.port), target.hostname, () => {
      const headers = forwardHeaders(req.headers);
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (const [name, value] of Object.entries(headers)) {
        for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined) lines.push(`${name}: ${String(v)}`);
      }
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    const close = () => {
      upstream.destroy();
      client.destroy();
    };
    // Either side ending ends the other: the gate's close() destroys the client side, and the
    // upstream connection must not outlive it.
    upstream.on('error', close);
    client.on('error', close);
    upstream.on('close', close);
    client.on('close', close);
  });

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  for (let attempt = 0; ; attempt++) {
    try {
      const wanted = await freePort();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(wanted, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    async close() {
      for (const s of sockets) s.destroy();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
