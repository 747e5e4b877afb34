export interface WaitUntilOptions {
  /** Give up after this many milliseconds. */
  timeoutMs?: number;
  /** Poll interval in milliseconds. */
  intervalMs?: number;
  /** Used in the timeout error message. */
  description?: string;
}

/**
 * Polls `probe` until it returns a truthy value (which is returned) or the deadline passes.
 * A bounded wait-until: the honest replacement for sleeps in tests and start-up code.
 */
export async function waitUntil<T>(
  probe: () => T | Promise<T>,
  { timeoutMs = 30_000, intervalMs = 50, description = 'condition' }: WaitUntilOptions = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
