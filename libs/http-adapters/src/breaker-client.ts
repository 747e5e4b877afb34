import { breakerStatusSchema, type BreakerHistoryEntry, type BreakerStatusReport, type BreakerSummary } from '@telemetry/contracts';

export interface BreakerClientOptions {
  /** BREAKER_SUMMARY_URL: the breaker app's anonymous `GET /api/breaker/summary`. */
  summaryUrl: string;
  fetch?: typeof fetch;
}

/**
 * The circuit breaker's anonymous summary (BreakerStatusReport in libs/contracts, the subset with
 * no names, links or free text) as the ops summary shows it. Read only, with no key: the status
 * API holds none of the breaker's keys and never its signed approval link (issue 13 item 6). To
 * resume, the dashboard sends the operator to the breaker's approval page (`approvalPage`), where
 * their own link or their own sign-in is the authority.
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
    const reason = state === 'closed' ? undefined : raw.trip?.reason ?? history[0]?.reason;
    const approvalPage = this.approvalPage(raw);
    return {
      state,
      since: raw.since ?? history[0]?.at ?? null,
      ...(reason ? { reason } : {}),
      history,
      canResume: raw.approval !== undefined,
      ...(approvalPage ? { approvalPage } : {}),
      ...(raw.switch ? { switch: raw.switch } : {}),
    };
  }

  private async raw(signal?: AbortSignal): Promise<BreakerStatusReport> {
    const response = await this.fetch(this.options.summaryUrl, { headers: { accept: 'application/json' }, signal });
    if (!response.ok) throw new Error(`breaker summary answered HTTP ${response.status}`);
    const parsed = breakerStatusSchema.safeParse(await response.json());
    if (!parsed.success) throw new Error('breaker summary is not in the expected shape ({ status, transitions?, approval? })');
    return parsed.data;
  }

  /**
   * The page the dashboard links to: only the breaker's own approval page, on the breaker's own
   * origin (the summary cannot send operators to an arbitrary site), and never a link carrying a
   * token (an older breaker's `approveUrl` is ignored).
   */
  private approvalPage(raw: BreakerStatusReport): string | undefined {
    const page = raw.approval?.page;
    if (!page) return undefined;
    const url = new URL(page, this.options.summaryUrl);
    const own = new URL(this.options.summaryUrl);
    if (url.origin !== own.origin || url.pathname !== own.pathname.replace(/\/summary$/, '/approve') || url.search !== '') return undefined;
    return url.href;
  }
}
