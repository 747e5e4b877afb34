/**
 * The ingestion window: the operator's one knob between latency and Cosmos DB cost. Events of one
 * device that reach a partition within the window fold into one store write. It is carried out by
 * the Event Hubs trigger itself, through host.json values that app settings override
 * (`AzureFunctionsJobHost__extensions__eventHubs__*`, the Functions host's documented mechanism):
 * - `maxWaitTime` = the window: the trigger holds a partition's events that long before invoking;
 * - `minEventBatchSize` = `maxEventBatchSize` = INGESTION_WINDOW_BATCH_SIZE: a partition that
 *   receives more than that within the window is invoked early with a full batch, so memory stays
 *   bounded by a count, whatever the window.
 * The batch is acknowledged (checkpointed) only after the function returns, i.e. after its writes
 * landed: a crash re-delivers the held and the in-flight events from the last checkpoint.
 */

/**
 * The largest batch that keeps the memory bound of apps/ingestion/src/host-json.spec.ts on a
 * 2,048 MB instance with 1 MB events. While a windowed batch is dispatched the extension may still
 * cache up to one batch less one event (a receive brings up to maxEventBatchSize; the rest waits,
 * PartitionProcessorEventsManager): 512 MB runtime + 4 copies x 160 MB (the batch being
 * dispatched) + 159 MB cached + 200 MB prefetch (host.json prefetchCount) = 1,511 MB <= 75 % of
 * 2,048 MB.
 */
export const INGESTION_WINDOW_BATCH_SIZE = 160;

/** Longest window accepted (s): beyond a minute the dashboard's "last seen" would mislead. */
export const INGESTION_WINDOW_MAX_SECONDS = 60;

const PREFIX = 'AzureFunctionsJobHost__extensions__eventHubs__';

/** `hh:mm:ss[.fff]`, as host.json TimeSpans are written. */
export function timeSpanOf(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const base = `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}`;
  return ms % 1000 ? `${base}.${pad(ms % 1000, 3)}` : base;
}

/** Checks a window in seconds: a finite number from 0 (no window) to INGESTION_WINDOW_MAX_SECONDS. */
export function parseIngestionWindow(raw: string | number): number {
  const seconds = typeof raw === 'number' ? raw : Number(String(raw).trim() === '' ? NaN : raw);
  if (!Number.isFinite(seconds)) throw new Error(`ingestion window must be a number of seconds, got "${raw}"`);
  if (seconds < 0 || seconds > INGESTION_WINDOW_MAX_SECONDS) throw new Error(`ingestion window must be between 0 and ${INGESTION_WINDOW_MAX_SECONDS} s, got ${seconds}`);
  return seconds;
}

/** The host.json eventHubs values a window stands for (none for 0: host.json as shipped). */
export function ingestionWindowHostJson(windowSeconds: number): { maxWaitTime: string; minEventBatchSize: number; maxEventBatchSize: number } | undefined {
  const seconds = parseIngestionWindow(windowSeconds);
  if (seconds === 0) return undefined;
  return { maxWaitTime: timeSpanOf(seconds), minEventBatchSize: INGESTION_WINDOW_BATCH_SIZE, maxEventBatchSize: INGESTION_WINDOW_BATCH_SIZE };
}

/** The ingestion app's settings for a window: what to set in Azure (or `npm start -- --window S` sets locally). */
export function ingestionWindowAppSettings(windowSeconds: number): Record<string, string> {
  const values = ingestionWindowHostJson(windowSeconds);
  if (!values) return {};
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`${PREFIX}${k}`, String(v)]));
}
