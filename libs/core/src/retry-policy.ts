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

/**
 * Attempts in all for an error of unknown cause (UNKNOWN) within one call, whatever a policy's
 * maxAttempts: a policy that rides out an outage of its service (many attempts) must not spend them
 * on a failure nobody can name, such as a claim-check blob that is gone. The error stays retryable:
 * the caller's own retries (the reprocessor's attempts across deliveries) still apply.
 */
export const UNKNOWN_MAX_ATTEMPTS = 3;

class StopRetrying {
  constructor(readonly error: PipelineError) {}
}

/**
 * Runs fn under a transientRetryPolicy; fn gets the attempt (0 for the first call) and throws
 * PipelineErrors. An UNKNOWN error ends the retries after UNKNOWN_MAX_ATTEMPTS attempts and is
 * thrown as it is.
 */
export async function executeWithRetries<T>(policy: RetryPolicy, fn: (attempt: number) => Promise<T>): Promise<T> {
  try {
    return await policy.execute(async ({ attempt }) => {
      try {
        return await fn(attempt);
      } catch (error) {
        if (error instanceof PipelineError && error.code === 'UNKNOWN' && error.retryable && attempt + 1 >= UNKNOWN_MAX_ATTEMPTS) throw new StopRetrying(error);
        throw error;
      }
    });
  } catch (error) {
    throw error instanceof StopRetrying ? error.error : error;
  }
}
