import { DEVICE_DOCUMENT_BYTES, pointReadRu, writeRu } from '@telemetry/planner';
import type { ReferenceProfileResult } from './end-to-end';
import type { ReferencePatternResult } from './reference-pattern';
import type { BenchRow } from './report';
import { windowWritesPerEvent } from '@telemetry/contracts';

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
 * Rows for the window curve (writes per event and p99 per window, with what the write-behind's
 * model predicts beside each), RU per event of the product and of the reference implementation's
 * pattern (1 read + 1 upsert per event), both measured on the same reference load in the same
 * run, and whether some window meets the knob's target.
 */
export function windowRows(input: { reference?: ReferenceProfileResult; curve: ReferenceProfileResult[]; pattern?: ReferencePatternResult }): BenchRow[] {
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
  if (input.curve.some((r) => r.windowSeconds > 0)) {
    // The write-behind writes a device once per first event plus the events that reach it before
    // the window from that first one closes: 1 / (1 + rate x (window - delivery)), delivery being
    // how long an event takes to reach the app (this run's window-0 p50 stands in for it).
    const window0 = input.curve.find((r) => r.windowSeconds === 0);
    const delivery = (window0?.latencyP50Ms ?? 0) / 1000;
    const predicted = input.curve.filter((r) => r.windowSeconds > 0).map((r) => `${r.windowSeconds} s: ${r3(windowWritesPerEvent(r.windowSeconds, r.rate / r.devices, delivery))}`);
    rows.push({
      name: 'window: writes/event the write-behind model predicts (computed, 1 event/s per device, Poisson)',
      value: predicted.join(', '),
      unit: 'writes/event',
      note: `1 / (1 + events/s per device x (window - delivery)), delivery = this run's window-0 p50 (${Math.round(delivery * 1000)} ms); the p99 it adds is the window plus one write`,
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
