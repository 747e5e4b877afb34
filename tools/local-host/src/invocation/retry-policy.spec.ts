import { mayRetry, toRetryPolicy } from './retry-policy';

const seconds = (s: number): { seconds: number } => ({ seconds: s });

describe('function retry policies as the host applies them', () => {
  it('fixedDelay waits delayInterval before every retry; -1 retries forever', () => {
    const policy = toRetryPolicy({ retryStrategy: 'fixedDelay', maxRetryCount: -1, delayInterval: seconds(3) })!;
    expect([1, 2, 10].map((n) => policy.delayMs(n))).toEqual([3000, 3000, 3000]);
    expect(mayRetry(policy, 1_000)).toBe(true);
  });

  it('exponentialBackoff: minimumInterval, then minimumInterval + f x 2^(n-2) x minimumInterval (RandomizedExponentialBackoffStrategy), capped', () => {
    const options = { retryStrategy: 'exponentialBackoff' as const, maxRetryCount: 8, minimumInterval: seconds(1), maximumInterval: seconds(60) };
    const middle = toRetryPolicy(options, () => 0.5)!; // f = 1.0
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => middle.delayMs(n))).toEqual([1000, 2000, 3000, 5000, 9000, 17_000, 33_000, 60_000]);
    const low = toRetryPolicy(options, () => 0)!; // f = 0.8
    const high = toRetryPolicy(options, () => 0.999_999)!; // f -> 1.2
    expect([low.delayMs(3), high.delayMs(3)]).toEqual([2600, 3400]);
    expect(mayRetry(middle, 8)).toBe(false);
    expect(mayRetry(middle, 7)).toBe(true);
  });
});
