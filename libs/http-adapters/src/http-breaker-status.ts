import { toPipelineError, type Logger } from '@telemetry/core';
import { breakerStatusSchema } from '@telemetry/contracts';
import type { BreakerReading, BreakerStatusSource } from '@telemetry/reprocessing';

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

/**
 * The reprocessor's reading of a `GET /api/breaker` answer (BreakerStatusReport, libs/contracts).
 * The breaker names no retry time, so none is read; an answer that is not a status reads as closed.
 */
export function parseBreakerStatus(body: unknown): BreakerReading {
  const parsed = breakerStatusSchema.safeParse(body);
  return { state: parsed.success ? parsed.data.status : 'closed' };
}

/**
 * The breaker state over HTTP, cached briefly. When the endpoint cannot be read the answer is
 * `closed` (logged): the store's own failures then bound the damage through the retry backoff,
 * whereas assuming `open` would stop all reprocessing whenever the breaker app is down.
 */
export class HttpBreakerStatus implements BreakerStatusSource {
  private cached?: { at: number; status: BreakerReading };

  constructor(private readonly options: HttpBreakerStatusOptions) {}

  async current(): Promise<BreakerReading> {
    const now = this.options.now?.() ?? Date.now();
    if (this.cached && now - this.cached.at < this.options.cacheMs) return this.cached.status;
    const status = await this.fetchStatus();
    this.cached = { at: now, status };
    return status;
  }

  private async fetchStatus(): Promise<BreakerReading> {
    const doFetch = this.options.fetchImpl ?? fetch;
    try {
      const response = await doFetch(this.options.url, {
        headers: { accept: 'application/json', ...(this.options.key ? { 'x-functions-key': this.options.key } : {}) },
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 3_000),
      });
      if (!response.ok) throw Object.assign(new Error(`breaker status answered ${response.status}`), { statusCode: response.status });
      return parseBreakerStatus(await response.json());
    } catch (error) {
      const failure = toPipelineError(error);
      this.options.logger.warn('breaker status unavailable; assuming closed', { errorCode: failure.code, error: failure.message });
      return { state: 'closed' };
    }
  }
}
