import { DEVICE_DOCUMENT_BYTES, pointReadRu, writeRu } from '@telemetry/planner';
import type { ReferenceProfileResult } from './end-to-end';
import type { ReferencePatternResult } from './reference-pattern';
import type { BenchRow } from './report';
import { shortestSpanFor } from './window-cap';

/** The knob's target on the reference profile (issue 21): at most 0.2 writes per event with p99 at most 5 s. */
export const WINDOW_TARGET = { writesPerEvent: 0.2, p99Ms: 5_000 } as const;

const r2 = (n: number): number => Math.round(n * 100) / 100;
const r3 = (n: number): number => Math.round(n * 1000) / 1000;

/** RU per event: documented charge of each operation (the product's device document) x measured operations per event. */
export function ruPerEventOf(readsPerEvent: number, writesPerEvent: number): number {
  return readsPerEvent * pointReadRu(DEVICE_DOCUMENT_BYTES) + writesPerEvent * writeRu(DEVICE_DOCUMENT_BYTES);
}

const meetsTarget = (r: ReferenceProfileResult): boolean =>
  Object.keys(r.deadLettersByCode ?? {}).length === 0 && (r.storeLatency?.missing ?? 0) === 0 &&
  r.storeWritesPerEvent <= WINDOW_TARGET.writesPerEvent && r.latencyP99Ms !== null && r.latencyP99Ms <= WINDOW_TARGET.p99Ms;

/**
 * What a reference profile's "enqueue -> stored" latency is: measured at the store boundary (the
 * Cosmos proxy saw the server acknowledge a write carrying the event), from what start, how many
 * events never landed, and the host's invocation figure beside it; or, for a result made before the
 * store boundary was measured, that it is the host's invocation end.
 */
export function latencyNote(r: ReferenceProfileResult): string {
  const s = r.storeLatency;
  if (!s) return 'enqueue -> end of the ingestion invocation (local Functions host metrics), not the store';
  const start = s.startedAt === 'simulator send time'
    ? 'from the simulator send time (<= enqueue: overestimated)'
    : `from the Event Hubs enqueued time${s.sendTimeStandIns ? ` (${s.sendTimeStandIns} events not read back: from their send time, <= enqueue)` : ''}`;
  const missing = s.missing ? `; ${s.missing} events NEVER seen stored (not in the percentiles)` : '; none missing';
  const invocation = r.invocationLatencyP50Ms !== undefined ? `; host invocation end p50 / p99 ${r.invocationLatencyP50Ms ?? '-'} / ${r.invocationLatencyP99Ms ?? '-'} ms` : '';
  return `measured at the store boundary (the Cosmos proxy: first write the server acknowledged carrying the event), ${start}; ${s.stored} events stored, max ${s.maxMs ?? '-'} ms${missing}${invocation}`;
}

/**
 * Rows for the window curve (writes per event and p99 per window), RU per event of the product
 * and of the reference implementation's pattern (1 read + 1 upsert per event), both measured on the
 * same reference load in the same run, and whether some window meets the knob's target.
 */
/** What the window's count cap allows on the curve's partitions, whatever the host's speed (window-cap.ts). */
export interface WindowCapLimit {
  batchCap: number;
  partitions: number;
  /** Most devices any one partition holds (the simulator's keys). */
  maxDevicesPerPartition: number;
  /** Writes per event with every batch cut at a 5 s span or the cap, whichever first. */
  atTargetSpan: number;
  /** Writes per event with an unbounded window: every batch cut by the cap. */
  anySpan: number;
}

export function windowRows(input: { reference?: ReferenceProfileResult; curve: ReferenceProfileResult[]; pattern?: ReferencePatternResult; cap?: WindowCapLimit }): BenchRow[] {
  const rows: BenchRow[] = [];
  const charges = `${pointReadRu(DEVICE_DOCUMENT_BYTES)} RU/read, ${writeRu(DEVICE_DOCUMENT_BYTES)} RU/write of the ${DEVICE_DOCUMENT_BYTES}-byte device document (docs/capacity-planning.md)`;
  for (const r of input.curve) {
    const at = `window ${r.windowSeconds} s (${r.partitions} partitions)`;
    const perInvocation = r.eventsPerInvocation == null ? '' : `; ${r.eventsPerInvocation} events/invocation`;
    const letters = Object.entries(r.deadLettersByCode ?? {}).map(([code, n]) => `${code} ${n}`).join(', ');
    const dead = letters ? `; dead-lettered: ${letters} (the point is not the steady state)` : '';
    rows.push({ name: `${at}: store writes per event`, value: r.storeWritesPerEvent, unit: 'writes/event', note: `reconciled: ${r.reconciled}; host RSS ${r.hostPeakRssMb} MB${perInvocation}${dead}` });
    rows.push({ name: `${at}: latency p50 / p99 (enqueue -> stored)`, value: `${r.latencyP50Ms ?? '-'} / ${r.latencyP99Ms ?? '-'}`, unit: 'ms', note: latencyNote(r) });
  }
  if (input.curve.length) {
    const best = input.curve.filter(meetsTarget).sort((a, b) => a.storeWritesPerEvent - b.storeWritesPerEvent)[0];
    rows.push({
      name: 'window meeting <= 0.2 writes/event with p99 <= 5 s (reference profile)',
      value: best ? `${best.windowSeconds} s` : 'none',
      unit: 'window',
      target: 'some window',
      met: best !== undefined,
    });
  }
  const cap = input.cap;
  if (cap) {
    rows.push({
      name: `window: writes/event the ${cap.batchCap}-event batch cap allows on ${cap.partitions} partitions (computed, this fleet's keys)`,
      value: `${r3(cap.atTargetSpan)} at a 5 s span / ${r3(cap.anySpan)} at any span`,
      unit: 'writes/event',
      note: `a partition of n devices at 1 event/s fills ${cap.batchCap} events in ${cap.batchCap}/n s; the busiest holds ${cap.maxDevicesPerPartition} devices (${r2(cap.batchCap / cap.maxDevicesPerPartition)} s)`,
    });
  }
  if (input.curve.length) {
    // The cost target fixes the shortest span a per-partition cut may have, and so the p99 floor.
    const span = shortestSpanFor(WINDOW_TARGET.writesPerEvent);
    const window0 = input.curve.find((r) => r.windowSeconds === 0);
    const own = window0?.latencyP50Ms == null ? '' : `; the batch's own time at window 0 in this run: p50 ${window0.latencyP50Ms} ms`;
    rows.push({
      name: `window: shortest span at <= ${WINDOW_TARGET.writesPerEvent} writes/event, and the p99 it forces (computed, 1 event/s per device, Poisson)`,
      value: `${r3(span)} s / >= ${Math.round(0.99 * span * 1000)} ms`,
      unit: 'span / p99',
      note: `a per-partition cut (the trigger's maxWaitTime) puts a whole span's events in one batch: the oldest 1 % wait >= 0.99 x span before dispatch, and the batch's receive, processing and writes come on top${own}`,
    });
  }
  const pattern = input.pattern;
  if (pattern) {
    rows.push({ name: 'reference pattern (1 read + 1 upsert per event): store reads / writes per event', value: `${pattern.storeReadsPerEvent} / ${pattern.storeWritesPerEvent}`, unit: 'ops/event', note: `measured on the reference profile; p50 / p99 ${pattern.latencyP50Ms} / ${pattern.latencyP99Ms} ms` });
    rows.push({ name: 'RU per event: reference pattern (measured)', value: r2(ruPerEventOf(pattern.storeReadsPerEvent, pattern.storeWritesPerEvent)), unit: 'RU/event', note: charges });
  }
  const product = [...(input.reference ? [input.reference] : []), ...input.curve];
  for (const r of product) {
    const ru = ruPerEventOf(r.storeReadsPerEvent, r.storeWritesPerEvent);
    const at = `window ${r.windowSeconds} s, ${r.partitions} partitions`;
    rows.push({ name: `RU per event: product (${at})`, value: r2(ru), unit: 'RU/event' });
    if (pattern) {
      const ref = ruPerEventOf(pattern.storeReadsPerEvent, pattern.storeWritesPerEvent);
      rows.push({ name: `RU per event: product (${at}) / reference pattern`, value: r2(ru / ref), unit: 'x' });
    }
  }
  return rows;
}
