import { breakerStatusSchema, type BreakerHistoryEntry, type BreakerStatusReport, type BreakerSummary } from '@telemetry/contracts';

export interface BreakerClientOptions {
  /** BREAKER_STATUS_URL: the breaker app's status endpoint (GET). */
  statusUrl: string;
  /** BREAKER_STATUS_KEY: function key for the breaker app; sent as x-functions-key, never to browsers. */
  key?: string;
  fetch?: typeof fetch;
}

export interface ResumeOutcome {
  accepted: boolean;
  status: number;
  message: string;
}

/**
 * The circuit-breaker app's `GET /api/breaker` (BreakerStatusReport in libs/contracts) summarised
 * for operators. Reads the circuit breaker's state and history, and asks it to resume through its signed approval
 * flow: the breaker advertises a signed approval link in its status while open, and only a link on
 * the breaker's own origin is ever followed (the status API never posts to arbitrary URLs).
 */
export class BreakerClient {
  private readonly fetch: typeof fetch;
  constructor(private readonly options: BreakerClientOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  async status(signal?: AbortSignal): Promise<BreakerSummary> {
    const raw = await this.raw(signal);
    const history = (raw.transitions ?? [])
      .map((h): BreakerHistoryEntry => ({ state: h.to, at: h.at ?? null, ...(h.reason ? { reason: h.reason } : {}), ...(h.by ? { by: h.by } : {}) }))
      .sort((a, b) => (b.at ?? '').localeCompare(a.at ?? ''))
      .slice(0, 20);
    const state = raw.status;
    const reason = state === 'closed' ? undefined : raw.trip?.reason;
    return { state, since: raw.since ?? history[0]?.at ?? null, ...(reason ? { reason } : {}), history, canResume: this.approvalLink(raw) !== undefined };
  }

  /**
   * Submits the offered approval (POST to the signed link, as the breaker's confirmation form
   * does, with the approver's name). 200: resumed; 202: submitted, not yet decided; 403: the
   * link was used, superseded or expired meanwhile.
   */
  async resume(by: string, signal?: AbortSignal): Promise<ResumeOutcome> {
    const link = this.approvalLink(await this.raw(signal));
    if (!link) return { accepted: false, status: 409, message: 'the breaker offers no resume approval now (is it open?)' };
    const response = await this.fetch(link, {
      method: 'POST',
      // The approval endpoint is anonymous (the signed token is the credential): no key sent.
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ name: by.slice(0, 80) }).toString(),
      signal,
    });
    await response.body?.cancel();
    const message =
      response.status === 200 ? 'resume approved: ingestion is resuming from its checkpoints'
      : response.status === 202 ? 'approval submitted; the breaker has not decided yet'
      : response.status === 403 ? 'the approval link is no longer valid (used, superseded or expired)'
      : `the breaker answered HTTP ${response.status}`;
    return { accepted: response.status === 200 || response.status === 202, status: response.status, message };
  }

  private async raw(signal?: AbortSignal): Promise<BreakerStatusReport> {
    const response = await this.fetch(this.options.statusUrl, { headers: this.headers(), signal });
    if (!response.ok) throw new Error(`breaker status answered HTTP ${response.status}`);
    const parsed = breakerStatusSchema.safeParse(await response.json());
    if (!parsed.success) throw new Error('breaker status is not in the expected shape ({ status, transitions?, approval? })');
    return parsed.data;
  }

  private approvalLink(raw: BreakerStatusReport): string | undefined {
    const link = raw.approval?.approveUrl;
    if (!link) return undefined;
    const url = new URL(link, this.options.statusUrl);
    return url.origin === new URL(this.options.statusUrl).origin ? url.href : undefined;
  }

  private headers(): Record<string, string> {
    return this.options.key ? { 'x-functions-key': this.options.key, accept: 'application/json' } : { accept: 'application/json' };
  }
}
