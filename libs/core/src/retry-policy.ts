import { DelegateBackoff, handleWhen, retry, type IRetryBackoffContext, type RetryPolicy } from 'cockatiel';
import { PipelineError } from './pipeline-error';

export interface RetryOptions {
  /** Total attempts including the first (setting STORE_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** First backoff in ms; doubles per attempt with full jitter (STORE_RETRY_BASE_MS). */
  initialDelayMs: number;
  /** Cap on one backoff, and on a service's retry-after, in ms (STORE_RETRY_MAX_MS). */
  maxDelayMs: number;
}

/**
 * Exponential backoff with full jitter, except that a service's retry-after (429) wins when it
 * names a delay, capped so that one batch stays well inside the function timeout.
 */
function delayFor(options: RetryOptions, context: IRetryBackoffContext<unknown>, random: () => number): number {
  const error = 'error' in context.result ? context.result.error : undefined;
  if (error instanceof PipelineError && error.retryAfterMs !== undefined) {
    return Math.min(Math.max(error.retryAfterMs, 0), options.maxDelayMs);
  }
  const ceiling = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** (context.attempt - 1));
  return Math.round(random() * ceiling);
}

/**
 * The retry policy for store and queue calls: retries only PipelineErrors marked retryable
 * (callers normalise with toPipelineError first), never permanent ones.
 */
export function transientRetryPolicy(options: RetryOptions, random: () => number = Math.random): RetryPolicy {
  return retry(
    handleWhen((error) => error instanceof PipelineError && error.retryable),
    {
      maxAttempts: Math.max(0, options.maxAttempts - 1),
      backoff: new DelegateBackoff((context: IRetryBackoffContext<unknown>) => delayFor(options, context, random)),
    },
  );
}
