import { BreakerClient } from '@telemetry/http-adapters';
import { waitUntil } from './wait';

export interface BreakerGateOptions {
  baseUrl: string;
  /** A function key of the breaker app (BREAKER_FUNCTION_KEY): the trip endpoint is authLevel function. */
  key?: string;
  /**
   * An operator's Entra token for the breaker app (BREAKER_BEARER_TOKEN), needed besides the key
   * where App Service Authentication is on: the trip then takes a person's authority.
   */
  bearerToken?: string;
  fetch?: typeof fetch;
}

/**
 * Ingestion paused, as the breaker reports it: the breaker is not closed and its ingestion switch
 * confirmed `paused`. The breaker is the one authority on whether ingestion runs, so a rewind
 * pauses it only by tripping the breaker (`POST /api/breaker/trip`), and ingestion resumes through
 * the operator's approval, as after any trip.
 */
export class BreakerGate {
  private readonly summary: BreakerClient;
  private readonly fetch: typeof fetch;
  constructor(private readonly options: BreakerGateOptions) {
    this.fetch = options.fetch ?? fetch;
    this.summary = new BreakerClient({ summaryUrl: new URL('/api/breaker/summary', options.baseUrl).href, fetch: this.fetch });
  }

  async ingestionPaused(): Promise<{ paused: boolean; state: string; switch?: string }> {
    const s = await this.summary.status();
    const paused = s.state !== 'closed' && s.switch?.target === 'paused' && s.switch.state === 'ok';
    return { paused, state: s.state, ...(s.switch ? { switch: `${s.switch.target}/${s.switch.state}` } : {}) };
  }

  /** The breaker's approval page while it offers a resume (no token in it: the signed link goes to the operators' channels). */
  async approvalPage(): Promise<string | undefined> {
    return (await this.summary.status()).approvalPage;
  }

  /** Trips the breaker (a 409 means it is already open: fine) and waits until its switch confirms the pause. */
  async tripAndWait(reason: string, timeoutMs: number): Promise<void> {
    if (!this.options.key) throw new Error('tripping the breaker needs its function key in BREAKER_FUNCTION_KEY');
    const headers: Record<string, string> = { 'x-functions-key': this.options.key, 'content-type': 'application/json' };
    if (this.options.bearerToken) headers['authorization'] = `Bearer ${this.options.bearerToken}`;
    const response = await this.fetch(new URL('/api/breaker/trip', this.options.baseUrl), { method: 'POST', headers, body: JSON.stringify({ reason }) });
    if (response.status === 403) {
      throw new Error('breaker trip answered HTTP 403: with operator sign-in on, a trip needs an operator\'s token in BREAKER_BEARER_TOKEN (az account get-access-token --resource <breaker app client id>)');
    }
    if (response.status !== 202 && response.status !== 409) throw new Error(`breaker trip answered HTTP ${response.status}`);
    await waitUntil(async () => (await this.ingestionPaused()).paused, { timeoutMs, intervalMs: 500, description: 'the breaker to confirm ingestion paused' });
  }
}
