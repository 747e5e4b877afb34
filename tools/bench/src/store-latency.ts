/**
 * Latency at the store boundary: from an event's Event Hubs enqueue to the first successful write
 * of its device's document that carries it (lastEventTime >= the event's own device timestamp), as
 * the Cosmos proxy saw the server answer it. Independent of how the app batches, buffers or
 * retries: only the writes that landed count.
 */

/** One event sent in the measured phase. */
export interface LatencyEvent {
  /** The device's document id (documentIdOf(deviceId)). */
  documentId: string;
  /** The event's own device timestamp (epoch ms). */
  timestampMs: number;
  /** When Event Hubs enqueued it (epoch ms), or the best stand-in known (see `StoreLatency`). */
  enqueuedAtMs: number;
}

/** A write the store acknowledged (the fault proxy's StoredWrite). */
export interface AcknowledgedWrite {
  id: string;
  /** ISO 8601. */
  lastEventTime: string;
  /** When the acknowledgement came back (epoch ms). */
  at: number;
}

export interface StoreLatency {
  /** Events seen stored. */
  stored: number;
  /** Events no recorded write carries (never stored while the proxy recorded). */
  missing: number;
  /** Nearest-rank percentiles of the stored events' latencies (ms), as the host's metrics compute them; null with none stored. */
  p50: number | null;
  p99: number | null;
  max: number | null;
}

/** Per document: its writes in answer order, with the running max of lastEventTime (what the document has carried so far). */
interface DocumentWrites {
  at: number[];
  carried: number[];
}

function byDocument(writes: readonly AcknowledgedWrite[]): Map<string, DocumentWrites> {
  const sorted = writes.filter((w) => Number.isFinite(Date.parse(w.lastEventTime))).sort((a, b) => a.at - b.at);
  const out = new Map<string, DocumentWrites>();
  for (const w of sorted) {
    let d = out.get(w.id);
    if (!d) out.set(w.id, (d = { at: [], carried: [] }));
    const t = Date.parse(w.lastEventTime);
    d.at.push(w.at);
    d.carried.push(d.carried.length ? Math.max(d.carried[d.carried.length - 1]!, t) : t);
  }
  return out;
}

/** When the event's state first landed: the first write (by answer time) of its document whose lastEventTime >= its timestamp. */
function storedAt(d: DocumentWrites | undefined, timestampMs: number): number | undefined {
  if (!d) return undefined;
  // `carried` is non-decreasing: the first write carrying the event is a binary search away.
  let lo = 0;
  let hi = d.carried.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (d.carried[mid]! >= timestampMs) hi = mid;
    else lo = mid + 1;
  }
  return lo < d.at.length ? d.at[lo] : undefined;
}

/** Nearest-rank percentile of ascending values (the host's LatencyHistogram rule). */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Each event's latency (ms; undefined when never seen stored), in the events' order. */
export function storeLatencies(events: readonly LatencyEvent[], writes: readonly AcknowledgedWrite[]): (number | undefined)[] {
  const docs = byDocument(writes);
  return events.map((e) => {
    const at = storedAt(docs.get(e.documentId), e.timestampMs);
    return at === undefined ? undefined : at - e.enqueuedAtMs;
  });
}

/** p50/p99/max of the events' store-boundary latencies, and how many were never seen stored. */
export function storeLatency(events: readonly LatencyEvent[], writes: readonly AcknowledgedWrite[]): StoreLatency {
  const all = storeLatencies(events, writes);
  const seen = all.filter((l): l is number => l !== undefined).sort((a, b) => a - b);
  return { stored: seen.length, missing: all.length - seen.length, p50: nearestRank(seen, 50), p99: nearestRank(seen, 99), max: seen.length ? seen[seen.length - 1]! : null };
}

/** Documents whose recorded writes do not yet carry their newest event: what a wait for the store is waiting for. */
export function documentsBehind(newestByDocument: ReadonlyMap<string, number>, writes: readonly AcknowledgedWrite[]): number {
  const carried = new Map<string, number>();
  for (const w of writes) {
    const t = Date.parse(w.lastEventTime);
    if (t > (carried.get(w.id) ?? -Infinity)) carried.set(w.id, t);
  }
  let behind = 0;
  for (const [id, newest] of newestByDocument) if (!((carried.get(id) ?? -Infinity) >= newest)) behind++;
  return behind;
}
