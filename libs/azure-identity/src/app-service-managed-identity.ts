import http from 'node:http';
import https from 'node:https';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';

/**
 * The managed identity token service App Service and Azure Functions (every plan, Flex Consumption
 * included) run beside each instance, as the platform announces it in the environment:
 * https://learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference
 */
export interface AppServiceIdentityEndpoint {
  /** `IDENTITY_ENDPOINT`: the local token service's URL. */
  endpoint: string;
  /** `IDENTITY_HEADER`: the secret the service expects back in `X-IDENTITY-HEADER` (against SSRF). Never logged. */
  header: string;
}

/**
 * The App Service token service when this process runs under it. Service Fabric and Azure Arc set
 * `IDENTITY_ENDPOINT` too, with `IDENTITY_SERVER_THUMBPRINT` and `IMDS_ENDPOINT` beside it (as MSAL
 * tells the sources apart); those are left to @azure/identity.
 */
export function appServiceIdentityEndpoint(env: NodeJS.ProcessEnv): AppServiceIdentityEndpoint | undefined {
  const endpoint = env['IDENTITY_ENDPOINT'];
  const header = env['IDENTITY_HEADER'];
  if (!endpoint || !header || env['IDENTITY_SERVER_THUMBPRINT'] || env['IMDS_ENDPOINT']) return undefined;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? { endpoint, header } : undefined;
}

/** A token request the managed identity service refused or could not serve (as @azure/identity's `AuthenticationError`). */
export class ManagedIdentityTokenError extends Error {
  override readonly name = 'AuthenticationError';
  constructor(
    message: string,
    /** HTTP status of the token service's last answer; absent when it never answered. */
    readonly statusCode?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const API_VERSION = '2019-08-01';
// As MSAL's DefaultManagedIdentityRetryPolicy: 3 retries, 1 s apart (or the service's Retry-After).
const RETRY_STATUSES = new Set([404, 408, 429, 500, 503, 504]);
const MAX_RETRIES = 3;
const RETRY_DELAY_MS = 1_000;
const MAX_RETRY_AFTER_MS = 10_000;
const TRY_TIMEOUT_MS = 10_000;
/** A cached token is renewed this long before it expires (unless the service said to renew sooner). */
const RENEW_BEFORE_EXPIRY_MS = 5 * 60_000;

interface CachedToken {
  token: AccessToken;
  renewAt: number;
}

/**
 * A `TokenCredential` on the App Service managed identity endpoint alone: one GET per resource and
 * token lifetime, `X-IDENTITY-HEADER` set, the user-assigned identity named by `client_id`.
 *
 * Why not @azure/identity here: its managed identity runs on MSAL, ~370 KB of minified code that
 * costs every cold start of every app ~40 ms of CPU (docs/benchmarks.md, "package load"), to make
 * this one request. Everywhere else (a workstation, a VM, Arc, workload identity) `azureCredential`
 * still uses @azure/identity, loaded on first use.
 *
 * Tokens are cached per resource for every client of the process that shares this credential, and
 * renewed before they expire (half-way through a lifetime over 2 hours, as MSAL does; otherwise 5
 * minutes before expiry). A renewal that fails while the cached token is still valid returns that
 * token. Concurrent requests for one resource share one call.
 */
export class AppServiceManagedIdentityCredential implements TokenCredential {
  private readonly cache = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, Promise<CachedToken>>();

  constructor(
    private readonly service: AppServiceIdentityEndpoint,
    /** A user-assigned identity's client id; unset: the app's system-assigned identity. */
    private readonly clientId?: string,
  ) {}

  async getToken(scopes: string | string[], options: GetTokenOptions = {}): Promise<AccessToken> {
    const resource = resourceOf(scopes);
    const cached = this.cache.get(resource);
    const now = Date.now();
    if (cached && now < cached.renewAt) return cached.token;
    let call = this.inFlight.get(resource);
    if (!call) {
      call = this.requestToken(resource, options).finally(() => this.inFlight.delete(resource));
      this.inFlight.set(resource, call);
    }
    try {
      const fresh = await call;
      this.cache.set(resource, fresh);
      return fresh.token;
    } catch (error) {
      if (cached && Date.now() < cached.token.expiresOnTimestamp - 30_000) return cached.token;
      throw error;
    }
  }

  private async requestToken(resource: string, options: GetTokenOptions): Promise<CachedToken> {
    const url = new URL(this.service.endpoint);
    url.searchParams.set('api-version', API_VERSION);
    url.searchParams.set('resource', resource);
    if (this.clientId) url.searchParams.set('client_id', this.clientId);
    const timeoutMs = options.requestOptions?.timeout ?? TRY_TIMEOUT_MS;
    for (let retry = 0; ; retry++) {
      let answer: { status: number; body: string; retryAfterMs?: number } | undefined;
      let failure: unknown;
      try {
        answer = await get(url, { 'X-IDENTITY-HEADER': this.service.header }, timeoutMs, options.abortSignal);
      } catch (error) {
        if (options.abortSignal?.aborted) throw error;
        failure = error;
      }
      if (answer && answer.status >= 200 && answer.status < 300) return parseTokenResponse(answer.body, resource);
      const retriable = !answer || RETRY_STATUSES.has(answer.status);
      if (!retriable || retry >= MAX_RETRIES) {
        const why = answer ? `answered ${answer.status}${serviceMessage(answer.body)}` : `could not be reached (${String((failure as Error)?.message ?? failure)})`;
        throw new ManagedIdentityTokenError(
          `Managed identity: the App Service token service ${why} for resource ${resource}${this.clientId ? ` and client id ${this.clientId}` : ''} after ${retry + 1} tries`,
          answer?.status,
          { cause: failure },
        );
      }
      await delay(Math.min(answer?.retryAfterMs ?? RETRY_DELAY_MS, MAX_RETRY_AFTER_MS), options.abortSignal);
    }
  }
}

/** Entra scopes (`https://x.documents.azure.com/.default`) name the resource the token service wants. */
function resourceOf(scopes: string | string[]): string {
  const list = Array.isArray(scopes) ? scopes : [scopes];
  if (list.length !== 1 || !list[0]) throw new ManagedIdentityTokenError(`Managed identity: exactly one scope per token request, got ${list.length}`);
  return list[0].replace(/\/\.default$/, '');
}

function parseTokenResponse(body: string, resource: string): CachedToken {
  let json: { access_token?: unknown; expires_on?: unknown; token_type?: unknown };
  try {
    json = JSON.parse(body) as typeof json;
  } catch {
    throw new ManagedIdentityTokenError(`Managed identity: the token service's answer for ${resource} is not JSON`);
  }
  const expiresOn = expiresOnMs(json.expires_on);
  if (typeof json.access_token !== 'string' || !json.access_token || expiresOn === undefined) {
    throw new ManagedIdentityTokenError(`Managed identity: the token service's answer for ${resource} has no access_token or expires_on`);
  }
  const now = Date.now();
  const lifetime = expiresOn - now;
  const refreshAfterTimestamp = lifetime > 2 * 3_600_000 ? now + lifetime / 2 : undefined;
  return {
    token: { token: json.access_token, expiresOnTimestamp: expiresOn, tokenType: 'Bearer', ...(refreshAfterTimestamp ? { refreshAfterTimestamp } : {}) },
    renewAt: refreshAfterTimestamp ?? expiresOn - RENEW_BEFORE_EXPIRY_MS,
  };
}

/** `expires_on` is epoch seconds (a number or a numeric string) in 2019-08-01; older answers used a date. */
function expiresOnMs(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value * 1000;
  if (typeof value !== 'string' || !value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/** The service's own error text, short; never the request (it carries the identity header). */
function serviceMessage(body: string): string {
  try {
    const j = JSON.parse(body) as { message?: unknown; error?: unknown; error_description?: unknown };
    const error = j.error as { message?: unknown } | string | undefined;
    const text = [j.message, j.error_description, typeof error === 'string' ? error : error?.message].find((v) => typeof v === 'string');
    return typeof text === 'string' ? `: ${text.slice(0, 300)}` : '';
  } catch {
    return '';
  }
}

function get(
  url: URL,
  headers: Record<string, string>,
  timeoutMs: number,
  signal: GetTokenOptions['abortSignal'],
): Promise<{ status: number; body: string; retryAfterMs?: number }> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).get(url, { headers, timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > 1_000_000) request.destroy(new Error('answer over 1 MB'));
        else chunks.push(chunk);
      });
      response.on('end', () => {
        const retryAfter = Number(response.headers['retry-after']);
        resolve({
          status: response.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          ...(Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
        });
      });
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { name: 'TimeoutError' })));
    request.on('error', reject);
    const abort = (): void => void request.destroy(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    if (signal?.aborted) abort();
    else if (signal) {
      signal.addEventListener('abort', abort, { once: true });
      request.on('close', () => signal.removeEventListener('abort', abort));
    }
  });
}

function delay(ms: number, signal: GetTokenOptions['abortSignal']): Promise<void> {
  return new Promise((resolve, reject) => {
    const abort = (): void => {
      clearTimeout(timer);
      reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', abort, { once: true });
  });
}
