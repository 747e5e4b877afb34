/**
 * How the Functions host's queue client runs one storage call (receive, delete, release, renew,
 * poison copy). The Storage Queues extension creates its QueueServiceClient with default client
 * options (StorageClientProvider), so Azure.Core's defaults apply: each try is cut off after the
 * network timeout (100 s); a try that failed on 408, 429, 500, 502, 503 or 504, on the network or
 * on that timeout is retried up to 3 times, after 0.8 s x 2^n (jitter 0.8-1.2, at most 1 min, or
 * the service's retry-after when longer). Nothing else caps a call: the extension's QueueListener
 * and QueueProcessor call the client without a deadline of their own.
 *
 * A receive given up after the service dequeued its messages hides them for the receive's
 * visibility (10 min), in Azure as here: the host must give up no sooner than Azure's does.
 * A settle call that fails for good leaves its message hidden for the rest of its lease, also as in
 * Azure: the host must retry what Azure's client retries (the JS client retries 500 and 503 only).
 */
export interface StorageCallPolicy {
  /** Cap on one try (ms): Azure.Core RetryOptions.NetworkTimeout. */
  tryTimeoutMs: number;
  /** Retries after the first try: RetryOptions.MaxRetries. */
  maxRetries: number;
  /** Base of the exponential delay (ms): RetryOptions.Delay. */
  delayMs: number;
  /** Cap on one delay (ms): RetryOptions.MaxDelay. */
  maxDelayMs: number;
}

export const AZURE_CORE_DEFAULTS: StorageCallPolicy = { tryTimeoutMs: 100_000, maxRetries: 3, delayMs: 800, maxDelayMs: 60_000 };

/** Azure.Core ResponseClassifier.IsRetriableResponse. */
const RETRIABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

interface StorageFailure {
  statusCode?: number;
  response?: { headers?: { get(name: string): string | undefined } };
}

/** The storage call exceeded one try's cap (a swallowed request: Azure.Core's network timeout). */
export class StorageTryTimeoutError extends Error {
  constructor(ms: number) {
    super(`storage call try exceeded ${ms} ms`);
    this.name = 'StorageTryTimeoutError';
  }
}

/** Whether Azure.Core would retry after this failure: a retriable status, a network failure or a timed-out try. */
export function isRetriable(error: unknown): boolean {
  if (error instanceof StorageTryTimeoutError) return true;
  const status = (error as StorageFailure | undefined)?.statusCode;
  // No status: the request never got an answer (connection refused or reset): IOException in .NET.
  return status === undefined ? (error as Error | undefined)?.name !== 'AbortError' : RETRIABLE_STATUS.has(status);
}

/** Retry-after the service named (ms), from the headers Azure.Core reads: retry-after-ms, x-ms-retry-after-ms, Retry-After (s). */
function retryAfterMs(error: unknown): number {
  const headers = (error as StorageFailure | undefined)?.response?.headers;
  if (!headers) return 0;
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const ms = Number(headers.get(name));
    if (Number.isFinite(ms) && ms > 0) return ms;
  }
  const seconds = Number(headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
}

/** Azure.Core's exponential delay before retry `retry` (1-based). */
export function retryDelayMs(policy: StorageCallPolicy, retry: number, random: () => number = Math.random): number {
  return Math.min(policy.maxDelayMs, 2 ** (retry - 1) * policy.delayMs * (0.8 + 0.4 * random()));
}

/** One try: `fn` gets a signal that aborts on `outer` or at the cap; rejects at the cap even if `fn` ignores the signal. */
async function tryOnce<T>(ms: number, fn: (signal: AbortSignal) => Promise<T>, outer?: AbortSignal): Promise<T> {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  outer?.addEventListener('abort', abort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new StorageTryTimeoutError(ms));
    }, ms);
  });
  try {
    return await Promise.race([fn(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', abort);
  }
}

const wait = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * Runs one storage call under `policy`; `signal` (host shutdown, a pause) ends it without a retry.
 * `trySignal` (default: `signal`) is what cuts a try already sent: a pause lets a receive the
 * service may already have served finish, so its messages are not hidden for their lease unseen.
 * The client's own retries must be off (`maxTries: 1`) so that the tries are exactly these.
 */
export async function callStorage<T>(
  fn: (signal: AbortSignal) => Promise<T>,
  {
    policy = AZURE_CORE_DEFAULTS,
    signal,
    trySignal = signal,
    random = Math.random,
  }: { policy?: StorageCallPolicy; signal?: AbortSignal; trySignal?: AbortSignal; random?: () => number } = {},
): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await tryOnce(policy.tryTimeoutMs, fn, trySignal);
    } catch (error) {
      if (signal?.aborted || retry >= policy.maxRetries || !isRetriable(error)) throw error;
      await wait(Math.max(retryDelayMs(policy, retry + 1, random), retryAfterMs(error)), signal);
      if (signal?.aborted) throw error;
    }
  }
}
