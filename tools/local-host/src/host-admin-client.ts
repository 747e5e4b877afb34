import type { FunctionMetricsSnapshot } from './admin/function-metrics';
import type { FunctionInfo, HostStatus } from './admin/host-control';
import { LocalHostError } from './errors';

/** Client for a running host's admin API (master key in `x-functions-key`). */
export class HostAdminClient {
  constructor(
    readonly baseUrl: string,
    private readonly masterKey: string,
  ) {}

  listFunctions(): Promise<FunctionInfo[]> {
    return this.call('GET', '/admin/functions');
  }

  pause(functionName: string): Promise<FunctionInfo> {
    return this.call('POST', `/admin/functions/${encodeURIComponent(functionName)}/pause`);
  }

  resume(functionName: string): Promise<FunctionInfo> {
    return this.call('POST', `/admin/functions/${encodeURIComponent(functionName)}/resume`);
  }

  status(): Promise<HostStatus> {
    return this.call('GET', '/admin/host/status');
  }

  /** Zeroes the host's metrics (DELETE /admin/host/metrics); returns the empty snapshot. */
  resetMetrics(): Promise<Record<string, FunctionMetricsSnapshot>> {
    return this.call('DELETE', '/admin/host/metrics');
  }

  metrics(): Promise<Record<string, FunctionMetricsSnapshot>> {
    return this.call('GET', '/admin/host/metrics');
  }

  /** Durable manual clock (setting LOCAL_DURABLE_CLOCK=manual): moves time forward, firing due timers. */
  advanceDurableClock(ms: number): Promise<{ mode: string; now: string }> {
    return this.call('POST', `/admin/durable/clock/advance?ms=${ms}`);
  }

  private async call<T>(method: string, path: string): Promise<T> {
    const response = await fetch(this.baseUrl + path, { method, headers: { 'x-functions-key': this.masterKey } });
    const text = await response.text();
    if (!response.ok) throw new LocalHostError('ADMIN_REQUEST_FAILED', `${method} ${path} -> ${response.status} ${text}`, 'admin', response.status >= 500);
    return JSON.parse(text) as T;
  }
}
