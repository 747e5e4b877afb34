import { toPipelineError, type Logger } from '@telemetry/core';
import type { BreakerStatus, BreakerStatusSource } from './breaker-status';

export interface HttpBreakerStatusOptions {
  /** The breaker's status endpoint (BREAKER_STATUS_URL), e.g. https://<breaker>/api/breaker. */
  url: string;
  /** Function key sent as x-functions-key (BREAKER_STATUS_KEY); unset with identity-based auth. */
  key?: string;
  /** How long one answer is reused, in ms (BREAKER_STATUS_CACHE_MS): one call per batch, not per message. */
  cacheMs: number;
  timeoutMs?: number;
  logger: Logger;
  fetchImpl?: typeof fetch;
  now?: () => number;
}

type Json = Record<string, unknown>;

/** Reads the state from the shapes a breaker status endpoint plausibly answers with. */
export function parseBreakerStatus(body: unknown, now: number): BreakerStatus {
  const root = (typeof body === 'object' && body !== null ? body : {}) as Json;
  const inner = (typeof root['state'] === 'object' && root['state'] !== null ? root['state'] : root) as Json;
  const raw = String(inner['state'] ?? inner['status'] ?? root['status'] ?? '').toLowerCase().replace(/[_\s]/g, '-');
  const state: BreakerStatus['state'] = raw === 'open' ? 'open' : raw === 'half-open' || raw === 'halfopen' ? 'half-open' : 'closed';
  const until = [inner['retryAt'], inner['openUntil'], inner['halfOpenAt'], inner['nextProbeAt'], root['retryAt']].find((v) => typeof v === 'string');
  const at = typeof until === 'string' ? Date.parse(until) : NaN;
  return Number.isFinite(at) ? { state, retryAfterMs: Math.max(0, at - now) } : { state };
}

/**
 * The breaker state over HTTP, cached briefly. When the endpoint cannot be read the answer is
 * `closed` (logged): the store's own failures then bound the damage through the retry backoff,
 * whereas assuming `open` would stop all reprocessing whenever the breaker app is down.
 */
export class HttpBreakerStatus implements BreakerStatusSource {
  private cached?: { at: number; status: BreakerStatus };

  constructor(private readonly options: HttpBreakerStatusOptions) {}

  async current(): Promise<BreakerStatus> {
    const now = this.options.now?.() ?? Date.now();
    if (this.cached && now - this.cached.at < this.options.cacheMs) return this.cached.status;
    const status = await this.fetchStatus(now);
    this.cached = { at: now, status };
    return status;
  }

  private async fetchStatus(now: number): Promise<BreakerStatus> {
    const doFetch = this.options.fetchImpl ?? fetch;
    try {
      const response = await doFetch(this.options.url, {
        headers: { accept: 'application/json', ...(this.options.key ? { 'x-functions-key': this.options.key } : {}) },
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 3_000),
      });
      if (!response.ok) throw Object.assign(new Error(`breaker status answered ${response.status}`), { statusCode: response.status });
      return parseBreakerStatus(await response.json(), now);
    } catch (error) {
      const failure = toPipelineError(error);
      this.options.logger.warn('breaker status unavailable; assuming closed', { errorCode: failure.code, error: failure.message });
      return { state: 'closed' };
    }
  }
}
