import { z } from 'zod';

const transition = z.looseObject({
  state: z.string(),
  at: z.string().optional(),
  time: z.string().optional(),
  timestamp: z.string().optional(),
  reason: z.string().optional(),
});

const statusSchema = z.looseObject({
  state: z.string(),
  since: z.string().optional(),
  reason: z.string().optional(),
  history: z.array(transition).optional(),
  /** A signed link that approves resuming (issued by the breaker while it is open). */
  approvalUrl: z.string().optional(),
  resumeUrl: z.string().optional(),
});

export interface BreakerTransition {
  state: string;
  at: string | null;
  reason?: string;
}

export interface BreakerStatus {
  /** As the breaker reports it, e.g. closed / open / half-open. */
  state: string;
  since: string | null;
  reason?: string;
  /** Newest first, at most 20. */
  history: BreakerTransition[];
  /** Whether the breaker offers a resume (an approval link) right now. */
  canResume: boolean;
}

export interface BreakerClientOptions {
  /** BREAKER_STATUS_URL: the breaker app's status endpoint (GET). */
  statusUrl: string;
  /** BREAKER_KEY: function key for the breaker app; sent as x-functions-key, never to browsers. */
  key?: string;
  fetch?: typeof fetch;
}

export interface ResumeOutcome {
  accepted: boolean;
  status: number;
  message: string;
}

/**
 * Reads the circuit breaker's state and history, and asks it to resume through its signed approval
 * flow: the breaker advertises a signed approval link in its status while open, and only a link on
 * the breaker's own origin is ever followed (the status API never posts to arbitrary URLs).
 */
export class BreakerClient {
  private readonly fetch: typeof fetch;
  constructor(private readonly options: BreakerClientOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  async status(signal?: AbortSignal): Promise<BreakerStatus> {
    const raw = await this.raw(signal);
    const history = (raw.history ?? [])
      .map((h): BreakerTransition => ({ state: h.state, at: h.at ?? h.time ?? h.timestamp ?? null, ...(h.reason ? { reason: h.reason } : {}) }))
      .sort((a, b) => (b.at ?? '').localeCompare(a.at ?? ''))
      .slice(0, 20);
    return { state: raw.state, since: raw.since ?? history[0]?.at ?? null, ...(raw.reason ? { reason: raw.reason } : {}), history, canResume: this.approvalLink(raw) !== undefined };
  }

  async resume(signal?: AbortSignal): Promise<ResumeOutcome> {
    const link = this.approvalLink(await this.raw(signal));
    if (!link) return { accepted: false, status: 409, message: 'the breaker offers no resume approval now (is it open?)' };
    const response = await this.fetch(link, { method: 'POST', headers: this.headers(), signal });
    const text = (await response.text()).slice(0, 500);
    return { accepted: response.ok, status: response.status, message: response.ok ? 'resume approved' : `breaker answered ${response.status}${text ? `: ${text}` : ''}` };
  }

  private async raw(signal?: AbortSignal): Promise<z.output<typeof statusSchema>> {
    const response = await this.fetch(this.options.statusUrl, { headers: this.headers(), signal });
    if (!response.ok) throw new Error(`breaker status answered HTTP ${response.status}`);
    const parsed = statusSchema.safeParse(await response.json());
    if (!parsed.success) throw new Error('breaker status is not in the expected shape ({ state, history?, approvalUrl? })');
    return parsed.data;
  }

  private approvalLink(raw: z.output<typeof statusSchema>): string | undefined {
    const link = raw.approvalUrl ?? raw.resumeUrl;
    if (!link) return undefined;
    const url = new URL(link, this.options.statusUrl);
    return url.origin === new URL(this.options.statusUrl).origin ? url.href : undefined;
  }

  private headers(): Record<string, string> {
    return this.options.key ? { 'x-functions-key': this.options.key, accept: 'application/json' } : { accept: 'application/json' };
  }
}
