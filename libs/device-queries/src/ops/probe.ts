import { TimeoutStrategy, timeout } from 'cockatiel';
import type { Probe } from '@telemetry/contracts';
import { redactSecrets } from '@telemetry/core';

export const notConfigured = (message: string): Probe<never> => ({ status: 'not-configured', message });

/** Runs a probe under a deadline (ms); failures become `error` with a redacted message. */
export async function probe<T>(run: (signal: AbortSignal) => Promise<T>, deadlineMs: number): Promise<Probe<T>> {
  try {
    const data = await timeout(deadlineMs, TimeoutStrategy.Aggressive).execute(({ signal }) => run(signal));
    return { status: 'ok', data };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: 'error', message: redactSecrets(message.split('\n')[0] ?? 'failed').slice(0, 300) };
  }
}
