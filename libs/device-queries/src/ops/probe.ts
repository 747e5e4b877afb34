import { TaskCancelledError, TimeoutStrategy, timeout } from 'cockatiel';
import type { Probe } from '@telemetry/contracts';

export const notConfigured = (message: string): Probe<never> => ({ status: 'not-configured', message });

/** Error codes worth showing: identifiers such as ECONNREFUSED, ENOTFOUND, AuthorizationFailure. */
const CODE = /^[A-Za-z][A-Za-z0-9_.-]{0,40}$/;

/**
 * What a failed probe tells the dashboard: the error's code and HTTP status, never its message. SDK
 * messages name hosts, ports, account names and principal ids (`connect ECONNREFUSED 10.0.0.4:443`,
 * `getaddrinfo ENOTFOUND internal-dlq.corp...`, an RBAC 403 naming the principal), which the
 * summary's readers (anyone with the device-status key) have no need to see.
 */
export function probeFailure(error: unknown, deadlineMs: number): string {
  if (error instanceof TaskCancelledError) return `timed out after ${deadlineMs} ms`;
  const e = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; statusCode?: unknown; status?: unknown; name?: unknown };
  const status = [e.statusCode, e.status, e.code].find((v) => typeof v === 'number' && Number.isInteger(v) && v >= 100 && v <= 599);
  const code = typeof e.code === 'string' && CODE.test(e.code) ? e.code : undefined;
  const parts = [status !== undefined ? `HTTP ${status}` : undefined, code].filter(Boolean);
  if (parts.length > 0) return `failed: ${parts.join(' ')}`;
  return `failed (${typeof e.name === 'string' && CODE.test(e.name) ? e.name : 'Error'})`;
}

/** Runs a probe under a deadline (ms); a failure becomes `error` with its code, never its message. */
export async function probe<T>(run: (signal: AbortSignal) => Promise<T>, deadlineMs: number): Promise<Probe<T>> {
  try {
    const data = await timeout(deadlineMs, TimeoutStrategy.Aggressive).execute(({ signal }) => run(signal));
    return { status: 'ok', data };
  } catch (error) {
    return { status: 'error', message: probeFailure(error, deadlineMs) };
  }
}
