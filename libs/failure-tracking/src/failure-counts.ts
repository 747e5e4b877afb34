import { isIssueCode, type IssueCode } from '@telemetry/core';

/** Failures per issue code, as the pipeline reports them once per batch. */
export type FailureCounts = Partial<Record<IssueCode, number>>;

/** Sum of all codes (negative or non-finite entries count as 0). */
export function totalOf(counts: FailureCounts): number {
  let total = 0;
  for (const value of Object.values(counts)) if (typeof value === 'number' && Number.isFinite(value) && value > 0) total += value;
  return total;
}

/** Adds `more` into `into` (mutates and returns `into`); unknown codes are ignored. */
export function addCounts(into: FailureCounts, more: FailureCounts): FailureCounts {
  for (const [code, value] of Object.entries(more)) {
    if (!isIssueCode(code) || typeof value !== 'number' || !Number.isFinite(value) || value <= 0) continue;
    into[code] = (into[code] ?? 0) + Math.floor(value);
  }
  return into;
}
