/** Network failures a retry of an idempotent call cures (a keep-alive socket closed under the request, a restart). */
const TRANSIENT_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ETIMEDOUT', 'REQUEST_SEND_ERROR']);

function isTransient(error: unknown): boolean {
  const e = error as { code?: unknown; statusCode?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && TRANSIENT_CODES.has(e.code)) return true;
  if (typeof e.statusCode === 'number' && (e.statusCode === 503 || e.statusCode === 500)) return true;
  return typeof e.message === 'string' && /socket hang up/i.test(e.message);
}

/**
 * Runs an idempotent provisioning call (create-if-not-exists) again on a transient network
 * failure: the product's clients make one try per call (their owners retry), so a stack or a
 * test setup would otherwise fail on one reset socket. Bounded: `attempts` tries, 100-400 ms apart.
 */
export async function retryTransient<T>(call: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= attempts || !isTransient(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}
