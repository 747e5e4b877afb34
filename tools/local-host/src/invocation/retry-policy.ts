import type { RpcDuration, RpcRetryOptions } from '../core/core-types';

/** A function's `retry` option as the host reads it (durations arrive in whole seconds). */
export interface RetryPolicy {
  strategy: 'fixedDelay' | 'exponentialBackoff';
  /** -1 retries forever. */
  maxRetryCount: number;
  delayMs: (retryNumber: number) => number;
}

const ms = (d: RpcDuration | null | undefined): number => ((d?.seconds ?? 0) * 1000) + Math.round((d?.nanos ?? 0) / 1e6);

export function toRetryPolicy(options: RpcRetryOptions | undefined): RetryPolicy | undefined {
  if (!options?.retryStrategy) return undefined;
  const maxRetryCount = options.maxRetryCount ?? 0;
  if (options.retryStrategy === 'fixedDelay') {
    const delay = ms(options.delayInterval);
    return { strategy: 'fixedDelay', maxRetryCount, delayMs: () => delay };
  }
  const min = ms(options.minimumInterval);
  const max = Math.max(min, ms(options.maximumInterval));
  // Doubles from minimumInterval per retry, capped at maximumInterval.
  return { strategy: 'exponentialBackoff', maxRetryCount, delayMs: (n) => Math.min(max, min * 2 ** Math.max(0, n - 1)) };
}

export function mayRetry(policy: RetryPolicy | undefined, retriesDone: number): boolean {
  if (!policy) return false;
  return policy.maxRetryCount < 0 || retriesDone < policy.maxRetryCount;
}
