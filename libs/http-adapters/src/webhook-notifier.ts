import { ExponentialBackoff, handleWhen, retry, type RetryPolicy } from 'cockatiel';
import { PipelineError } from '@telemetry/core';
import { formatNotice, type BreakerNotice, type OperatorNotifier } from '@telemetry/breaker-rules';

export interface WebhookNotifierOptions {
  /** BREAKER_WEBHOOK_URL. Incoming-webhook URLs embed their credential: never log them. */
  url: string;
  timeoutMs?: number;
  maxAttempts?: number;
  initialDelayMs?: number;
}

/**
 * POSTs the notice as JSON to an incoming webhook (Teams, Slack, Logic Apps). Retries network
 * errors, timeouts, 429 and 5xx with exponential backoff (cockatiel); a 4xx is permanent.
 */
export class WebhookNotifier implements OperatorNotifier {
  private readonly policy: RetryPolicy;

  constructor(private readonly options: WebhookNotifierOptions) {
    this.policy = retry(handleWhen((error) => error instanceof PipelineError && error.retryable), {
      maxAttempts: Math.max(0, (options.maxAttempts ?? 4) - 1),
      backoff: new ExponentialBackoff({ initialDelay: options.initialDelayMs ?? 500, maxDelay: 10_000 }),
    });
  }

  async notify(notice: BreakerNotice): Promise<void> {
    const body = JSON.stringify(formatNotice(notice));
    await this.policy.execute(() => this.post(body));
  }

  private async post(body: string): Promise<void> {
    let response: Response;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      // The message of a fetch failure can include the URL: keep only its kind.
      throw new PipelineError('UNKNOWN', `webhook unreachable (${(error as Error).name})`, { retryable: true });
    }
    await response.text().catch(() => '');
    if (!response.ok) {
      const retryable = response.status === 429 || response.status >= 500;
      throw new PipelineError('UNKNOWN', `webhook answered ${response.status}`, { retryable });
    }
  }
}
