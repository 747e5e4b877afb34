import type { RpcDuration, RpcRetryOptions } from '../core/core-types';

/** A function's `retry` option as the host reads it (durations arrive in whole seconds). */
export interface RetryPolicy {
  strategy: 'fixedDelay' | 'exponentialBackoff';
  /** -1 retries forever. */
  maxRetryCount: number;
  delayMs: (retryNumber: number) => number;
}

const ms = (d: RpcDuration | null | undefined): number => ((d?.seconds ?? 0) * 1000) + Math.round((d?.nanos ?? 0) / 1e6);

/** RandomizedExponentialBackoffStrategy.RandomizationFactor: each increment is scaled by a factor in [0.8, 1.2). */
const RANDOMIZATION_FACTOR = 0.2;

/**
 * `random` (0..1) is injectable for tests. exponentialBackoff follows the host's
 * RandomizedExponentialBackoffStrategy (azure-webjobs-sdk src/Microsoft.Azure.WebJobs.Host/Timers/,
 * used by ExponentialBackoffRetryAttribute): the first retry waits minimumInterval, retry n waits
 * minimumInterval + f x 2^(n-2) x minimumInterval with f random in [0.8, 1.2), capped at
 * maximumInterval (so about 1, 2, 3, 5, 9, 17 x minimumInterval).
 */
export function toRetryPolicy(options: RpcRetryOptions | undefined, random: () => number = Math.random): RetryPolicy | undefined {
  if (!options?.retryStrategy) return undefined;
  const maxRetryCount = options.maxRetryCount ?? 0;
  if (options.retryStrategy === 'fixedDelay') {
    const delay = ms(options.delayInterval);
    return { strategy: 'fixedDelay', maxRetryCount, delayMs: () => delay };
  }
  const min = ms(options.minimumInterval);
  const max = Math.max(min, ms(options.maximumInterval));
  const delayMs = (n: number): number => {
    if (n <= 1) return Math.min(max, min);
    const factor = 1 - RANDOMIZATION_FACTOR + random() * 2 * RANDOMIZATION_FACTOR;
    return Math.min(max, Math.round(min + factor * 2 ** (n - 2) * min));
  };
  return { strategy: 'exponentialBackoff', maxRetryCount, delayMs };
}

export function mayRetry(policy: RetryPolicy | undefined, retriesDone: number): boolean {
  if (!policy) return false;
  return policy.maxRetryCount < 0 || retriesDone < policy.maxRetryCount;
}
