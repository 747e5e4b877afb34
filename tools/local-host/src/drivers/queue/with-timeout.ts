/**
 * Cap (ms) on one storage call of the queue trigger (poll, settle, renew). The storage client's own
 * try timeout does not end a request the network swallowed (@azure/storage-queue 12.32 behind a
 * black hole): without a cap the trigger stopped polling, or settling, for good.
 */
export const STORAGE_CALL_TIMEOUT_MS = 30_000;

/** Runs `fn` with a signal that aborts on `outer` or after `ms`; rejects at the deadline even if `fn` ignores the signal. */
export async function withTimeout<T>(ms: number, fn: (signal: AbortSignal) => Promise<T>, outer?: AbortSignal): Promise<T> {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  outer?.addEventListener('abort', abort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`queue storage call exceeded ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([fn(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', abort);
  }
}
