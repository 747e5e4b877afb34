import { readFileSync } from 'node:fs';

/** The figures the planner takes from one `npm run bench` run (docs/benchmarks.json). */
export interface Measured {
  /** When the bench ran (ISO 8601). */
  date: string;
  /** End-to-end events/s of one ingestion host (one Node worker) on the bench machine. */
  eventsPerSecondPerInstance: number;
  /** Store writes per event with no window, reference profile (1 event/s per device). */
  writesPerEvent: number;
  /** Store point reads per event, reference profile. */
  readsPerEvent: number;
  /** Writes per event draining a backlog (large batches fold many events of a device). */
  backlogWritesPerEvent: number;
  /** p50 enqueue -> stored latency at the reference profile, ms: roughly one batch's round trip. */
  latencyP50Ms: number;
}

interface BenchmarksJson {
  date?: string;
  results?: {
    endToEnd?: { eventsPerSecond?: number };
    referenceProfile?: { storeWritesPerEvent?: number; storeReadsPerEvent?: number; latencyP50Ms?: number };
    backlog?: { storeWritesPerEvent?: number };
  };
}

const num = (value: unknown, name: string, file: string): number => {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${file}: ${name} is missing or not a number`);
  return value;
};

/** Reads the measured figures from a benchmarks.json written by `npm run bench`. */
export function readMeasured(file: string): Measured {
  const json = JSON.parse(readFileSync(file, 'utf8')) as BenchmarksJson;
  const r = json.results ?? {};
  return {
    date: String(json.date ?? 'unknown'),
    eventsPerSecondPerInstance: num(r.endToEnd?.eventsPerSecond, 'results.endToEnd.eventsPerSecond', file),
    writesPerEvent: num(r.referenceProfile?.storeWritesPerEvent, 'results.referenceProfile.storeWritesPerEvent', file),
    readsPerEvent: num(r.referenceProfile?.storeReadsPerEvent, 'results.referenceProfile.storeReadsPerEvent', file),
    backlogWritesPerEvent: num(r.backlog?.storeWritesPerEvent, 'results.backlog.storeWritesPerEvent', file),
    latencyP50Ms: num(r.referenceProfile?.latencyP50Ms, 'results.referenceProfile.latencyP50Ms', file),
  };
}
