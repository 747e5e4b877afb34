import type { DashboardConfig, Device, OpsSummary } from './types';

/** unreachable: no answer (network, proxy 502); unavailable: the API answered 503 (a store is down). */
export class ApiError extends Error {
  constructor(
    readonly kind: 'unreachable' | 'unavailable' | 'http',
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class ApiClient {
  private readonly etags = new Map<string, { etag: string; device: Device }>();
  constructor(private readonly config: DashboardConfig) {}

  summary(): Promise<OpsSummary> {
    return this.json<OpsSummary>('/api/ops/summary');
  }

  /** All devices (following nextLink), or those updated since an instant. Capped at `max`. */
  async devices(updatedSince?: string, max = 5_000): Promise<Device[]> {
    const out: Device[] = [];
    let link: string | undefined = `/api/devices?pageSize=500${updatedSince ? `&updatedSince=${encodeURIComponent(updatedSince)}` : ''}`;
    while (link && out.length < max) {
      const page: { devices: Device[]; nextLink?: string } = await this.json(link);
      out.push(...page.devices);
      link = page.nextLink;
    }
    return out;
  }

  /** One device, revalidated with its ETag (304 -> the cached copy). */
  async device(deviceId: string): Promise<Device | null> {
    const cached = this.etags.get(deviceId);
    const response = await this.fetch(`/api/devices/${encodeURIComponent(deviceId)}`, cached ? { 'if-none-match': cached.etag } : {});
    if (response.status === 304 && cached) return cached.device;
    if (response.status === 404) return null;
    const device = (await this.body(response)) as Device;
    const etag = response.headers.get('etag');
    if (etag) this.etags.set(deviceId, { etag, device });
    return device;
  }

  private async json<T>(path: string): Promise<T> {
    return (await this.body(await this.fetch(path))) as T;
  }

  private async body(response: Response): Promise<unknown> {
    if (response.ok) return response.json();
    const body = (await response.json().catch(() => ({}))) as { message?: string; error?: string };
    const message = body.message ?? `HTTP ${response.status}`;
    if (response.status === 503) throw new ApiError('unavailable', 503, `${body.error ?? 'UNAVAILABLE'}: ${message}`);
    if (response.status === 502 || response.status === 504) throw new ApiError('unreachable', response.status, message);
    throw new ApiError('http', response.status, message);
  }

  /** Reads only: the dashboard changes nothing (resuming happens on the breaker's approval page). */
  private async fetch(path: string, headers: Record<string, string> = {}): Promise<Response> {
    const allHeaders: Record<string, string> = { accept: 'application/json', ...headers };
    if (this.config.functionKey) allHeaders['x-functions-key'] = this.config.functionKey;
    try {
      return await fetch(`${this.config.apiBaseUrl}${path}`, { headers: allHeaders, cache: 'no-cache' });
    } catch {
      throw new ApiError('unreachable', 0, 'the status API did not answer');
    }
  }
}

export async function loadConfig(): Promise<DashboardConfig> {
  const response = await fetch('config.json', { cache: 'no-cache' });
  const raw = (response.ok ? await response.json() : {}) as Partial<DashboardConfig>;
  return { apiBaseUrl: (raw.apiBaseUrl ?? '').replace(/\/+$/, ''), functionKey: raw.functionKey || undefined, refreshMs: raw.refreshMs ?? 2_000 };
}
