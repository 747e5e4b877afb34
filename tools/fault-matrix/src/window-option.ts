import { InvalidArgumentError } from 'commander';
import { parseIngestionWindow } from '@telemetry/contracts';

/**
 * `--window <seconds>`: the ingestion window every scenario runs with (0 = none, the default;
 * README "Ingestion window"). Checked as the app checks INGESTION_WINDOW_SECONDS, refused while
 * the options are parsed (before any stack starts).
 */
export function windowOption(value: string): number {
  try {
    return parseIngestionWindow(value);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}

/** A report's window: reports written before `--window` existed ran without one. */
export const windowOf = (info: { windowSeconds?: number }): number => info.windowSeconds ?? 0;

/**
 * Why `--merge` must not put this run's rows into an existing report, or undefined: a report's rows
 * all ran with one ingestion window (its header names it), so rows of another window are refused.
 */
export function mergeWindowConflict(previous: { windowSeconds?: number }, windowSeconds: number): string | undefined {
  const before = windowOf(previous);
  if (before === windowSeconds) return undefined;
  const name = (s: number): string => (s === 0 ? 'no ingestion window' : `an ingestion window of ${s} s`);
  return `--merge: the existing report ran with ${name(before)}, this run with ${name(windowSeconds)}; write it elsewhere (--out) or run with --window ${before}`;
}
