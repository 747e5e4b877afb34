import { DEVICE_DOCUMENT_BYTES, ruPerEvent } from './cosmos-charges';
import type { Measured } from './measured';

/** A row in the shape of docs/benchmarks.json `rows`, so the bench can append these as they are. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const r2 = (n: number): number => Math.round(n * 100) / 100;

/**
 * RU per event from a bench run's measured operation counts and the documented charges for the
 * product's device document: the reference profile and the backlog drain, each against the
 * reference implementation's one read + one upsert per event (counts by definition, not run).
 */
export function ruPerEventRows(m: Measured): BenchRow[] {
  const steady = ruPerEvent({ readsPerEvent: m.readsPerEvent, writesPerEvent: m.writesPerEvent });
  // The bench reports no reads for the backlog run; the store reads only after a conflict, which a single writer does not meet.
  const backlog = ruPerEvent({ readsPerEvent: 0, writesPerEvent: m.backlogWritesPerEvent });
  const charges = `${steady.readRu} RU/read, ${steady.writeRu} RU/write (${DEVICE_DOCUMENT_BYTES}-byte document), documented charges`;
  return [
    { name: 'RU per event (reference profile)', value: r2(steady.product), unit: 'RU/event', note: `${m.readsPerEvent} reads + ${m.writesPerEvent} writes per event; ${charges}` },
    { name: 'RU per event, reference implementation pattern (1 read + 1 upsert)', value: r2(steady.reference), unit: 'RU/event' },
    { name: 'RU per event / reference pattern (reference profile)', value: r2(steady.ratio), unit: 'x' },
    { name: 'RU per event (backlog drain)', value: r2(backlog.product), unit: 'RU/event', note: `${m.backlogWritesPerEvent} writes per event` },
    { name: 'RU per event / reference pattern (backlog drain)', value: r2(backlog.ratio), unit: 'x' },
  ];
}
