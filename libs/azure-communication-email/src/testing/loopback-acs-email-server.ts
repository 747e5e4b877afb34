import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The resource Entra ID issues ACS data-plane tokens for (`aud` of the token). */
export const ACS_TOKEN_AUDIENCE = 'https://communication.azure.com';
/**
 * Data-plane API versions of Email_Send (azure-rest-api-specs specification/communication/
 * data-plane/Email/stable/<version>/CommunicationServicesEmail.json); the SDK 1.1.0 sends 2025-09-01.
 */
export const ACS_EMAIL_API_VERSIONS = ['2023-03-31', '2025-09-01'] as const;

export interface AcsSendRecord {
  apiVersion: string | null;
  authorization: string | undefined;
  operationIdHeader: string | undefined;
  body: unknown;
}

export interface AcsDelivery {
  operationId: string;
  senderAddress: string;
  to: string[];
  subject: string;
  plainText?: string;
  html?: string;
}

export interface LoopbackAcsEmailServer {
  endpoint: string;
  /** Trusts the self-signed certificate (pass as the client's `agent`: the SDK sends Bearer tokens over https only). */
  agent: https.Agent;
  /**
   * Stands in for Entra ID: mints a signed token whose `aud` is the resource of the scope asked for,
   * as Entra does. Tokens for another audience are refused by the server (401), as ACS refuses them.
   */
  credential: { getToken(scopes: string | string[]): Promise<{ token: string; expiresOnTimestamp: number }> };
  /** Every scope the credential was asked for. */
  scopesRequested: string[];
  /** Every POST /emails:send, accepted or not. */
  sends: AcsSendRecord[];
  /** Messages accepted (202). */
  deliveries: AcsDelivery[];
  /** Polls of an operation (GET /emails/operations/{id}). */
  polls: number;
  /** The next `times` sends fail with `status` (429 and 503 carry retry-after 0, as throttling does). */
  failNext(status: number, times?: number): void;
  /** Accepted operations end Failed (e.g. the recipient's domain rejects), until `recover()`. */
  failOperations(code?: string): void;
  recover(): void;
  stop(): Promise<void>;
}

function selfSignedCertificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'acs-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const b64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');
/** `https://communication.azure.com//.default` -> `https://communication.azure.com` (Entra normalises the resource). */
const resourceOf = (scope: string): string => scope.replace(/\/\.default$/, '').replace(/\/+$/, '');

/**
 * An Azure Communication Services Email data plane on an https loopback port, as the REST spec
 * (2025-09-01) and the service behave: `POST /emails:send?api-version=` with a Bearer token for
 * https://communication.azure.com answers 202 + `operation-location` + `retry-after` and an
 * EmailSendResult; `GET /emails/operations/{id}` reports Running, then Succeeded (or Failed).
 * Errors use the data-plane ErrorResponse shape and the `x-ms-error-code` header. It checks what
 * the service checks: api-version, the token (signature, expiry, audience), the JSON body
 * (senderAddress on the verified domain, recipients.to[].address, content.subject and a body).
 */
export async function startLoopbackAcsEmailServer(options: { senderDomain?: string } = {}): Promise<LoopbackAcsEmailServer> {
  const senderDomain = options.senderDomain ?? 'example.azurecomm.net';
  const { key, cert } = selfSignedCertificate();
  const signingKey = randomBytes(32);
  const sign = (data: string) => createHmac('sha256', signingKey).update(data).digest();
  const sends: AcsSendRecord[] = [];
  const deliveries: AcsDelivery[] = [];
  const scopesRequested: string[] = [];
  const operations = new Map<string, { polls: number; failed?: string }>();
  let failures: { status: number; left: number } | undefined;
  let operationFailure: string | undefined;
  let polls = 0;
  let endpoint = '';

  const verifyToken = (header: string | undefined): string | undefined => {
    const m = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(header ?? '');
    if (!m) return 'missing or malformed Bearer token';
    const mac = Buffer.from(m[3]!, 'base64url');
    const expected = sign(`${m[1]}.${m[2]}`);
    if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) return 'token signature invalid';
    const claims = JSON.parse(Buffer.from(m[2]!, 'base64url').toString('utf8')) as { aud?: string; exp?: number };
    if (!claims.exp || claims.exp * 1000 < Date.now()) return 'token expired';
    if (claims.aud !== ACS_TOKEN_AUDIENCE) return `token audience ${claims.aud} is not ${ACS_TOKEN_AUDIENCE}`;
    return undefined;
  };

  const server = https.createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      const reply = (status: number, json?: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', 'x-ms-request-id': randomUUID(), ...headers });
        res.end(json === undefined ? '' : JSON.stringify(json));
      };
      const error = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
        reply(status, { error: { code, message } }, { 'x-ms-error-code': code, ...headers });
      const apiVersion = url.searchParams.get('api-version');
      if (!apiVersion || !(ACS_EMAIL_API_VERSIONS as readonly string[]).includes(apiVersion)) return error(400, 'InvalidApiVersion', `api-version ${apiVersion} is not supported`);
      const authProblem = verifyToken(req.headers.authorization);

      if (req.method === 'POST' && url.pathname === '/emails:send') {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = undefined;
        }
        const operationIdHeader = typeof req.headers['operation-id'] === 'string' ? req.headers['operation-id'] : undefined;
        sends.push({ apiVersion, authorization: req.headers.authorization, operationIdHeader, body });
        if (authProblem) return error(401, 'Unauthorized', authProblem, { 'www-authenticate': 'Bearer' });
        if (failures && failures.left > 0) {
          failures.left--;
          const { status } = failures;
          const code = status === 429 ? 'TooManyRequests' : status >= 500 ? 'ServiceUnavailable' : 'Error';
          return error(status, code, `loopback ACS failing on purpose (${status})`, status === 429 || status === 503 ? { 'retry-after': '0' } : {});
        }
        if (!/^application\/json/.test(req.headers['content-type'] ?? '')) return error(415, 'UnsupportedMediaType', 'content-type must be application/json');
        const problem = messageProblem(body, senderDomain);
        if (problem) return error(400, 'BadRequest', problem);
        const m = body as { senderAddress: string; recipients: { to: { address: string }[] }; content: { subject: string; plainText?: string; html?: string } };
        const operationId = operationIdHeader ?? randomUUID();
        operations.set(operationId, { polls: 0, failed: operationFailure });
        deliveries.push({ operationId, senderAddress: m.senderAddress, to: m.recipients.to.map((r) => r.address), subject: m.content.subject, plainText: m.content.plainText, html: m.content.html });
        return reply(202, { id: operationId, status: 'Running' }, {
          'operation-location': `${endpoint}/emails/operations/${operationId}?api-version=${apiVersion}`,
          'retry-after': '0',
        });
      }
      const op = /^\/emails\/operations\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'GET' && op) {
        if (authProblem) return error(401, 'Unauthorized', authProblem, { 'www-authenticate': 'Bearer' });
        const state = operations.get(op[1]!);
        if (!state) return error(404, 'NotFound', 'no such operation');
        polls++;
        state.polls++;
        // One non-terminal answer first, as the service gives while it hands the message on.
        if (state.polls === 1) return reply(200, { id: op[1], status: 'Running' }, { 'retry-after': '0' });
        return state.failed
          ? reply(200, { id: op[1], status: 'Failed', error: { code: state.failed, message: 'the message could not be delivered' } })
          : reply(200, { id: op[1], status: 'Succeeded' });
      }
      return error(404, 'NotFound', `${req.method} ${url.pathname}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  endpoint = `https://127.0.0.1:${port}`;
  const agent = new https.Agent({ ca: cert, keepAlive: false });

  return {
    endpoint,
    agent,
    credential: {
      getToken: async (scopes) => {
        const list = Array.isArray(scopes) ? scopes : [scopes];
        scopesRequested.push(...list);
        const exp = Math.floor(Date.now() / 1000) + 3600;
        const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
        const claims = b64url(JSON.stringify({ aud: resourceOf(list[0] ?? ''), exp }));
        return { token: `${head}.${claims}.${b64url(sign(`${head}.${claims}`))}`, expiresOnTimestamp: exp * 1000 };
      },
    },
    scopesRequested,
    sends,
    deliveries,
    get polls() {
      return polls;
    },
    failNext: (status, times = 1) => {
      failures = { status, left: times };
    },
    failOperations: (code = 'RecipientRejected') => {
      operationFailure = code;
    },
    recover: () => {
      failures = undefined;
      operationFailure = undefined;
    },
    stop: () => new Promise<void>((resolve) => {
      agent.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** What the service rejects with 400 (EmailMessage's required fields and EmailContent's need of a body). */
function messageProblem(body: unknown, senderDomain: string): string | undefined {
  if (!body || typeof body !== 'object') return 'body must be an EmailMessage JSON object';
  const m = body as Record<string, unknown>;
  if (typeof m['senderAddress'] !== 'string' || !m['senderAddress'].includes('@')) return 'senderAddress is required';
  if (m['senderAddress'].split('@')[1]?.toLowerCase() !== senderDomain.toLowerCase()) return `senderAddress domain is not linked to this resource (${senderDomain})`;
  const recipients = m['recipients'] as { to?: unknown } | undefined;
  const to = recipients?.to;
  if (!Array.isArray(to) || to.length === 0) return 'recipients.to needs at least one address';
  if (!to.every((r) => r && typeof (r as { address?: unknown }).address === 'string' && /^[^@\s]+@[^@\s]+$/.test((r as { address: string }).address))) return 'recipients.to[].address must be an e-mail address';
  const content = m['content'] as { subject?: unknown; plainText?: unknown; html?: unknown } | undefined;
  if (!content || typeof content.subject !== 'string' || content.subject === '') return 'content.subject is required';
  if (typeof content.plainText !== 'string' && typeof content.html !== 'string') return 'content needs plainText or html';
  return undefined;
}
