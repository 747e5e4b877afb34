import { AZURE_CORE_DEFAULTS, callStorage, isRetriable, retryDelayMs, StorageTryTimeoutError, type StorageCallPolicy } from './storage-call-policy';

const fast: StorageCallPolicy = { tryTimeoutMs: 200, maxRetries: 3, delayMs: 1, maxDelayMs: 5 };
const status = (statusCode: number): Error & { statusCode: number } => Object.assign(new Error(`status ${statusCode}`), { name: 'RestError', statusCode });

describe('the queue trigger storage call policy (Azure.Core defaults)', () => {
  it('has the Functions host client defaults: 100 s per try, 3 retries, 0.8 s exponential delay with 20 % jitter, at most 1 min', () => {
    expect(AZURE_CORE_DEFAULTS).toEqual({ tryTimeoutMs: 100_000, maxRetries: 3, delayMs: 800, maxDelayMs: 60_000 });
    expect([1, 2, 3].map((n) => retryDelayMs(AZURE_CORE_DEFAULTS, n, () => 0.5))).toEqual([800, 1600, 3200]);
    expect(retryDelayMs(AZURE_CORE_DEFAULTS, 1, () => 0)).toBeCloseTo(640);
    expect(retryDelayMs(AZURE_CORE_DEFAULTS, 1, () => 1)).toBeCloseTo(960);
    expect(retryDelayMs(AZURE_CORE_DEFAULTS, 10, () => 0.5)).toBe(60_000);
  });

  it('retries 408, 429, 500, 502, 503, 504, network failures and timed-out tries; not other answers or a cancelled call', () => {
    for (const s of [408, 429, 500, 502, 503, 504]) expect(isRetriable(status(s))).toBe(true);
    for (const s of [400, 403, 404, 409, 412, 413]) expect(isRetriable(status(s))).toBe(false);
    expect(isRetriable(Object.assign(new Error('connect ECONNREFUSED'), { name: 'RestError', code: 'ECONNREFUSED' }))).toBe(true);
    expect(isRetriable(new StorageTryTimeoutError(1))).toBe(true);
    expect(isRetriable(Object.assign(new Error('aborted'), { name: 'AbortError' }))).toBe(false);
  });

  it('a failing call is tried 1 + maxRetries times, then its last error is thrown', async () => {
    let tries = 0;
    await expect(callStorage(async () => { tries++; throw status(502); }, { policy: fast })).rejects.toMatchObject({ statusCode: 502 });
    expect(tries).toBe(4);
  });

  it('a call that recovers within the retries succeeds; a permanent answer is not retried', async () => {
    let tries = 0;
    await expect(callStorage(async () => (++tries < 3 ? Promise.reject(status(503)) : 'ok'), { policy: fast })).resolves.toBe('ok');
    expect(tries).toBe(3);
    tries = 0;
    await expect(callStorage(async () => { tries++; throw status(404); }, { policy: fast })).rejects.toMatchObject({ statusCode: 404 });
    expect(tries).toBe(1);
  });

  it('a try that never answers is cut off at the try timeout (its signal aborted) and retried', async () => {
    const signals: AbortSignal[] = [];
    let tries = 0;
    const result = await callStorage((signal) => {
      signals.push(signal);
      // The first try hangs and ignores its signal; the second answers.
      return ++tries === 1 ? new Promise<string>(() => undefined) : Promise.resolve('answered');
    }, { policy: fast });
    expect(result).toBe('answered');
    expect(signals[0]!.aborted).toBe(true);
  });

  it('host shutdown ends a call without a retry', async () => {
    const shutdown = new AbortController();
    let tries = 0;
    const call = callStorage((signal) => {
      tries++;
      return new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))));
    }, { policy: { ...fast, tryTimeoutMs: 60_000 }, signal: shutdown.signal });
    shutdown.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(tries).toBe(1);
  });
});
