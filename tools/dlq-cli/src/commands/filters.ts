import type { ParkedQuery } from '@telemetry/reprocessing';
import { parseTime } from '../time-filter';

/** The filter options every listing command takes. */
export interface FilterOptions {
  code?: string;
  device?: string;
  since?: string;
  until?: string;
  limit?: string;
}

export function toQuery(options: FilterOptions): ParkedQuery {
  const limit = options.limit === undefined ? undefined : Number(options.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new Error(`--limit must be a positive integer, got "${options.limit}"`);
  return {
    code: options.code,
    deviceId: options.device,
    from: options.since ? parseTime(options.since) : undefined,
    to: options.until ? parseTime(options.until) : undefined,
    limit,
  };
}
