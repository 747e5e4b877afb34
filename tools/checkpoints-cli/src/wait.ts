import { setTimeout as delay } from 'node:timers/promises';

/** Polls `check` until it is true or `timeoutMs` passes (then throws, naming what was awaited). */
export async function waitUntil(check: () => Promise<boolean>, options: { timeoutMs: number; intervalMs: number; description: string }): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(options.timeoutMs / 1000)} s waiting for ${options.description}`);
    await delay(options.intervalMs);
  }
}
