/**
 * The ingestion window: the operator's one knob between latency and Cosmos DB cost. Each
 * device's events are held in memory and written once, the window after the first of them was
 * enqueued: a device sending once a second costs about one store write per 1 + window events, and
 * an event reaches the store at most the window (plus one write) after it was enqueued.
 *
 * It is the ingestion app's write-behind (libs/ingestion-pipeline WriteBehind), set by one app
 * setting, INGESTION_WINDOW_SECONDS. The trigger keeps its own batching (host.json as shipped):
 * cutting a partition's stream (`maxWaitTime`) makes every event of a batch wait for the whole
 * span, so 0.2 writes per event would cost a p99 of the full span plus the batch; holding per
 * device costs the span only to a device's first event.
 *
 * The trigger checkpoints each batch when its invocation returns, before held events are written;
 * what is in the store is the write-behind's own watermark per partition, and whoever next holds a
 * partition reads the hub again from it (docs/architecture.md, "The ingestion window").
 */

/** The ingestion app's setting for the window (seconds; 0 = none). */
export const INGESTION_WINDOW_SETTING = 'INGESTION_WINDOW_SECONDS';

/** Longest window accepted (s): beyond a minute the dashboard's "last seen" would mislead. */
export const INGESTION_WINDOW_MAX_SECONDS = 60;

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

/** The ingestion app's settings for a window: what to set in Azure (or `npm start -- --window S` sets locally). */
export function ingestionWindowAppSettings(windowSeconds: number): Record<string, string> {
  const seconds = parseIngestionWindow(windowSeconds);
  return seconds === 0 ? {} : { [INGESTION_WINDOW_SETTING]: String(seconds) };
}

/**
 * Store writes per event the window costs a device sending `eventsPerSecond`, with its events
 * arriving (Poisson) `deliverySeconds` after they were enqueued: one write per first event and
 * the events that reach the write-behind before the window from it closes.
 */
export function windowWritesPerEvent(windowSeconds: number, eventsPerSecond: number, deliverySeconds = 0): number {
  if (windowSeconds <= 0 || eventsPerSecond <= 0) return 1;
  return 1 / (1 + eventsPerSecond * Math.max(0, windowSeconds - deliverySeconds));
}
