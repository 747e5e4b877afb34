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

/**
 * A document write the Cosmos server answered with success (a single create, upsert, replace or
 * patch: 2xx; an operation of a bulk or batch request: its own 2xx in the answer's body).
 */
export interface StoredWrite {
  /** The document's id (the device document's id: its deviceId). */
  id: string;
  /** The written document's `lastEventTime` (ISO 8601), as the client sent it (a patch: as the server answered it). */
  lastEventTime: string;
  /** When the server's answer came back to the proxy (epoch ms): the write had landed by then. */
  at: number;
}

export interface FaultProxy {
  endpoint: string;
  port: number;
  setMode(mode: FaultMode): void;
  /** Points the proxy at another service (a target only known after the proxy's endpoint was handed out). */
  setTarget(target: string): void;
  /** Every request forwarded (or refused) since the last reset. */
  requests(): ProxiedRequest[];
  /** Forgets the requests and the stored writes recorded so far. */
  resetCounts(): void;
  /**
   * Starts (or stops) recording every document write that the service answered with success, for
   * `storedWrites()`. Off by default: it buffers and parses write bodies (and bulk answers), which a
   * long-running dev stack has no use for. Records are small ({ id, lastEventTime, at }).
   */
  recordStoredWrites(on: boolean): void;
  /** The successful document writes recorded since recording started or the last reset, in the order their answers came back. */
  storedWrites(): StoredWrite[];
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

const WRITE_OPERATIONS = new Set(['Create', 'Upsert', 'Replace', 'Patch']);
const is2xx = (status: unknown): boolean => typeof status === 'number' && status >= 200 && status < 300;
const asObject = (v: unknown): Record<string, unknown> | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/** A written document's id and lastEventTime: from what the client sent, else (a patch) from what the service answered. */
function writtenOf(sent: Record<string, unknown> | undefined, answered: Record<string, unknown> | undefined, id: unknown): { id: string; lastEventTime: string } | undefined {
  const lastEventTime = typeof sent?.['lastEventTime'] === 'string' ? sent['lastEventTime'] : answered?.['lastEventTime'];
  const docId = typeof sent?.['id'] === 'string' ? sent['id'] : typeof id === 'string' ? id : answered?.['id'];
  return typeof lastEventTime === 'string' && typeof docId === 'string' ? { id: docId, lastEventTime } : undefined;
}

/**
 * The documents a write request stored, from its body and the service's answer: a single write
 * (create/upsert: POST on a docs feed; replace: PUT; patch: PATCH) when the answer is 2xx; a bulk or
 * transactional batch request (a JSON array of operations, answered by an array of results in the
 * same order) each Create/Upsert/Replace/Patch operation whose own statusCode is 2xx. Reads and
 * deletes store nothing; a write whose document has no string `lastEventTime` is not a device
 * document and is skipped. Pure: the proxy's recording and its tests share it.
 */
export function storedDocuments(write: { method: string; path: string; bulk: boolean; status: number; requestBody: unknown; responseBody?: unknown }): { id: string; lastEventTime: string }[] {
  if (!is2xx(write.status)) return [];
  if (!write.bulk) {
    if (!['POST', 'PUT', 'PATCH'].includes(write.method)) return [];
    const pathId = /\/docs\/([^/?]+)/.exec(write.path)?.[1];
    const doc = writtenOf(write.method === 'PATCH' ? undefined : asObject(write.requestBody), asObject(write.responseBody), pathId === undefined ? undefined : safeDecode(pathId));
    return doc ? [doc] : [];
  }
  const ops = write.requestBody;
  const results = write.responseBody;
  if (!Array.isArray(ops) || !Array.isArray(results)) return [];
  const out: { id: string; lastEventTime: string }[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = asObject(ops[i]);
    const result = asObject(results[i]);
    if (!op || !result || !WRITE_OPERATIONS.has(op['operationType'] as string) || !is2xx(result['statusCode'])) continue;
    const sent = op['operationType'] === 'Patch' ? undefined : asObject(op['resourceBody']);
    const doc = writtenOf(sent, asObject(result['resourceBody']), op['id']);
    if (doc) out.push(doc);
  }
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const parseJson = (chunks: Buffer[]): unknown => {
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
};

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
  let recording = false;
  let stored: StoredWrite[] = [];
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
    const bulk = isBulk(req.headers);
    // A write whose success is recorded: its body (and, for a bulk request or a patch, the answer's) is read once it is complete.
    const watched = recording && entry.isDocumentWrite && req.method !== 'DELETE';
    let requestBody: unknown;
    let requestRead = false;
    let settle: (() => void) | undefined;
    if (bulk || watched) {
      // Count the operations of a bulk request (a JSON array); the body is forwarded unchanged.
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        requestBody = parseJson(chunks);
        if (bulk && Array.isArray(requestBody)) entry.operations = requestBody.length;
        requestRead = true;
        settle?.();
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
        const answeredAt = Date.now();
        const answer = (): void => {
          if (entry.held) return void up.destroy();
          entry.status = up.statusCode ?? 502;
          if (watched && is2xx(up.statusCode)) recordWhenRead(up, answeredAt);
          res.writeHead(up.statusCode ?? 502, endToEnd(up.headers));
          up.pipe(res);
        };
        if (mode.kind === 'slow') setTimeout(answer, mode.delayMs);
        else answer();
      },
    );
    /** Records what a successful write stored, once its request body (and, when it tells what, the answer's body) is read. */
    const recordWhenRead = (up: http.IncomingMessage, at: number): void => {
      const needsAnswer = bulk || req.method === 'PATCH';
      const chunks: Buffer[] = [];
      let answerRead = !needsAnswer;
      settle = () => {
        if (!requestRead || !answerRead || !recording) return;
        settle = undefined;
        const docs = storedDocuments({ method: entry.method, path: entry.path, bulk, status: up.statusCode ?? 502, requestBody, ...(needsAnswer ? { responseBody: parseJson(chunks) } : {}) });
        for (const doc of docs) stored.push({ id: doc.id, lastEventTime: doc.lastEventTime, at });
      };
      if (needsAnswer) {
        up.on('data', (c: Buffer) => chunks.push(c));
        up.on('end', () => {
          answerRead = true;
          settle?.();
        });
      }
      settle();
    };
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
      stored = [];
    },
    recordStoredWrites(on) {
      recording = on;
    },
    storedWrites: () => [...stored],
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
