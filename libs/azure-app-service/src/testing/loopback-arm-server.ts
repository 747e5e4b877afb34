import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface ArmRequestRecord {
  method: string;
  path: string;
  apiVersion: string | null;
  authorization: string | undefined;
  body: unknown;
}

export interface LoopbackArmServer {
  endpoint: string;
  /** Trusts the server's self-signed certificate (pass as the ARM client's `agent`). */
  agent: https.Agent;
  requests: ArmRequestRecord[];
  /** The app settings of every site, keyed `rg/name`. */
  settings: Map<string, Record<string, string>>;
  running: Map<string, boolean>;
  /**
   * From now on every call fails as ARM does when it cannot serve it (e.g. 503 ServiceUnavailable,
   * 429 throttling, 403 AuthorizationFailed for a missing role); nothing changes while failing.
   */
  failWith(status: number, code?: string): void;
  /** Calls succeed again. */
  recover(): void;
  /** Shuts the server down (what we start, we stop). */
  stop(): Promise<void>;
}

/** A self-signed certificate for 127.0.0.1, made with the system's openssl (the SDK insists on https for bearer tokens). */
function selfSignedCertificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'arm-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SITE = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Web\/sites\/([^/]+)(\/.*)$/;

/**
 * An ARM look-alike for the four Microsoft.Web calls the breaker makes, on an https loopback port.
 * It implements their documented semantics (PUT appsettings replaces the whole dictionary) and
 * records every request so tests can check paths, api-version and methods.
 */
export async function startLoopbackArmServer(sites: Record<string, Record<string, string>>): Promise<LoopbackArmServer> {
  const { key, cert } = selfSignedCertificate();
  const settings = new Map(Object.entries(sites).map(([k, v]) => [k, { ...v }]));
  const running = new Map(Object.keys(sites).map((k) => [k, true]));
  const requests: ArmRequestRecord[] = [];
  let failure: { status: number; code: string } | undefined;
  const server = https.createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      const text = Buffer.concat(chunks).toString('utf8');
      const body: unknown = text ? JSON.parse(text) : undefined;
      requests.push({ method: req.method ?? '', path: url.pathname, apiVersion: url.searchParams.get('api-version'), authorization: req.headers.authorization, body });
      const reply = (status: number, json?: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(json === undefined ? '' : JSON.stringify(json));
      };
      // ARM refuses a body it cannot read as JSON (415 UnsupportedMediaType).
      if (text && !/^application\/json\b/.test(req.headers['content-type'] ?? '')) return reply(415, { error: { code: 'UnsupportedMediaType', message: 'content-type must be application/json' } });
      if (failure) return reply(failure.status, { error: { code: failure.code, message: `loopback ARM failing on purpose (${failure.status})` } });
      const match = SITE.exec(url.pathname);
      const site = match ? `${match[2]}/${match[3]}` : '';
      if (!match || !settings.has(site)) return reply(404, { error: { code: 'ResourceNotFound', message: 'no such site' } });
      const resource = (properties: Record<string, string>) => ({ id: url.pathname, name: 'appsettings', type: 'Microsoft.Web/sites/config', properties });
      const op = `${req.method} ${match[4]}`;
      if (op === 'POST /config/appsettings/list') return reply(200, resource(settings.get(site)!));
      if (op === 'PUT /config/appsettings') {
        const next = (body as { properties?: Record<string, string> } | undefined)?.properties ?? {};
        settings.set(site, { ...next });
        return reply(200, resource(next));
      }
      if (op === 'POST /stop' || op === 'POST /start') {
        running.set(site, op === 'POST /start');
        return reply(200);
      }
      return reply(404, { error: { code: 'NotFound', message: op } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new https.Agent({ ca: cert, keepAlive: false });
  return {
    endpoint: `https://127.0.0.1:${port}`,
    agent,
    requests,
    settings,
    running,
    failWith: (status, code = status === 429 ? 'TooManyRequests' : status === 403 ? 'AuthorizationFailed' : 'ServiceUnavailable') => {
      failure = { status, code };
    },
    recover: () => {
      failure = undefined;
    },
    stop: () => new Promise<void>((resolve) => {
      agent.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
