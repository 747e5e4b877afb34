import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FaultMode =
  | { kind: 'pass' }
  /** Latency: requests are forwarded at once (the service acts on them), answers reach the client `delayMs` later. */
  | { kind: 'slow'; delayMs: number }
  /** The service is unreachable: connections are reset (ECONNRESET at the client). */
  | { kind: 'down' }
  /** The service answers 503. */
  | { kind: 'unavailable' }
  /** The service throttles: 429 with x-ms-retry-after-ms (Cosmos style). */
  | { kind: 'throttle'; retryAfterMs: number }
  /**
   * The network hangs instead of refusing: connections are accepted, nothing answers. Requests
   * (new ones, and those in flight when the mode is set) are held unanswered and never forwarded,
   * also after the mode changes back, as when a middlebox silently drops a flow: only the client's
   * own timeout ends them (or close()). `inFlight: 'complete'` lets requests already forwarded
   * finish (only new ones hang), for a service whose lost answers have effects of their own
   * (a queue receive whose answer is lost hides its messages for their visibility timeout).
   */
  | { kind: 'blackhole'; inFlight?: 'swallow' | 'complete' };

export interface ProxiedRequest {
  method: string;
  path: string;
  /** Cosmos document writes: POST/PUT/PATCH/DELETE on a `/docs` path that are not queries. */
  isDocumentWrite: boolean;
  /** Cosmos point reads: GET on `/docs/{id}`. */
  isDocumentRead: boolean;
  /** Document operations carried: the number of operations of a bulk request, else 1. */
  operations: number;
  /** When it arrived (epoch ms). */
  at: number;
  /** The status the client got (forwarded or injected); unset while unanswered, and for reset or held requests. */
  status?: number;
  /** Held unanswered by a blackhole. */
  held?: boolean;
  /** A held request the client gave up on (closed its connection): a timeout at the client. */
  abandoned?: boolean;
}

export interface FaultProxy {
  endpoint: string;
  port: number;
  setMode(mode: FaultMode): void;
  /** Points the proxy at another service (a target only known after the proxy's endpoint was handed out). */
  setTarget(target: string): void;
  /** Every request forwarded (or refused) since the last reset. */
  requests(): ProxiedRequest[];
  resetCounts(): void;
  close(): Promise<void>;
}

function classify(method: string, path: string, headers: http.IncomingHttpHeaders): ProxiedRequest {
  const isQuery = headers['x-ms-documentdb-isquery'] === 'True' || headers['x-ms-documentdb-isquery'] === 'true';
  const onDocs = /\/docs(\/|$)/.test(path);
  return {
    method,
    path,
    isDocumentWrite: onDocs && !isQuery && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method),
    isDocumentRead: onDocs && method === 'GET' && /\/docs\/[^/]+$/.test(path),
    operations: 1,
    at: Date.now(),
  };
}

const isBulk = (headers: http.IncomingHttpHeaders): boolean => String(headers['x-ms-cosmos-is-batch-request'] ?? '').toLowerCase() === 'true';

/** Store operations a client asked for: bulk requests count each operation they carry. */
export function documentWrites(requests: ProxiedRequest[]): number {
  return requests.filter((r) => r.isDocumentWrite).reduce((n, r) => n + r.operations, 0);
}

/**
 * An HTTP reverse proxy on a free loopback port in front of a local service (the Cosmos server),
 * that can take the service down, make it answer 503 or throttle with retry-after, and that counts
 * what the client really sent. Tests use it to assert store operations and outages honestly.
 */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  let targetUrl = new URL(target);
  let mode: FaultMode = { kind: 'pass' };
  let log: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  /** Forwarded requests not yet answered in full: a blackhole cuts them off where they are. */
  const inFlight = new Map<ProxiedRequest, { upstream: http.ClientRequest; res: http.ServerResponse }>();
  const hold = (entry: ProxiedRequest, req: http.IncomingMessage, res: http.ServerResponse): void => {
    entry.held = true;
    req.resume();
    res.on('close', () => {
      if (!closing) entry.abandoned = true;
    });
  };
  let closing = false;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  const server = http.createServer((req, res) => {
    const entry = classify(req.method ?? 'GET', req.url ?? '/', req.headers);
    log.push(entry);
    if (isBulk(req.headers)) {
      // Count the operations of a bulk request (a JSON array); the body is forwarded unchanged.
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        try {
          const ops = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
          if (Array.isArray(ops)) entry.operations = ops.length;
        } catch {
          // not JSON: counted as one
        }
      });
    }
    if (mode.kind === 'down') {
      req.socket.destroy();
      return;
    }
    if (mode.kind === 'blackhole') {
      hold(entry, req, res);
      return;
    }
    if (mode.kind === 'unavailable' || mode.kind === 'throttle') {
      const status = mode.kind === 'throttle' ? 429 : 503;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (mode.kind === 'throttle') headers['x-ms-retry-after-ms'] = String(mode.retryAfterMs);
      req.resume();
      entry.status = status;
      res.writeHead(status, headers).end(JSON.stringify({ code: status === 429 ? 'TooManyRequests' : 'ServiceUnavailable', message: 'injected fault' }));
      return;
    }
    const upstream = http.request(
      { host: targetUrl.hostname, port: targetUrl.port, method: req.method, path: req.url, headers: req.headers, agent },
      (up) => {
        const answer = (): void => {
          if (entry.held) return void up.destroy();
          entry.status = up.statusCode ?? 502;
          res.writeHead(up.statusCode ?? 502, endToEnd(up.headers));
          up.pipe(res);
        };
        if (mode.kind === 'slow') setTimeout(answer, mode.delayMs);
        else answer();
      },
    );
    inFlight.set(entry, { upstream, res });
    res.on('close', () => inFlight.delete(entry));
    upstream.on('error', () => {
      if (entry.held) return;
      if (!res.headersSent) res.writeHead((entry.status = 502)).end();
      else res.destroy();
    });
    req.pipe(upstream);
  });
  // Idle client connections stay open as long as the service's (cosmosdb-server-main.cjs), so an
  // idle connection is not dropped under a client that is about to reuse it.
  server.keepAliveTimeout = 240_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    endpoint: `http://127.0.0.1:${port}/`,
    port,
    setMode(next) {
      mode = next;
      // A service going down drops its open connections too.
      if (next.kind === 'down') for (const s of sockets) s.destroy();
      // A black hole swallows what is in flight: the client's socket stays open and silent.
      if (next.kind === 'blackhole' && next.inFlight !== 'complete') {
        for (const [entry, { upstream, res }] of inFlight) {
          if (res.headersSent) res.socket?.pause();
          entry.held = true;
          res.on('close', () => {
            if (!closing) entry.abandoned = true;
          });
          upstream.destroy();
        }
        inFlight.clear();
      }
    },
    setTarget(next) {
      targetUrl = new URL(next);
    },
    requests: () => [...log],
    resetCounts() {
      log = [];
    },
    async close() {
      closing = true;
      for (const s of sockets) s.destroy();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The upstream's answer without its hop-by-hop headers (RFC 9110 7.6.1): `Connection: close` from
 * the service is about the proxy's own connection to it, and passed on it closed the client's
 * connection after every request, which the service behind the proxy in Azure does not do.
 */
function endToEnd(headers: http.IncomingHttpHeaders): http.IncomingHttpHeaders {
  const named = headers.connection ? headers.connection.split(',').map((n) => n.trim().toLowerCase()) : [];
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name) && !named.includes(name)));
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);
