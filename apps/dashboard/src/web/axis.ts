/** Tick choices for the map graticule and the throughput chart: round values only. */

/** The smallest of 1, 2, 5 x 10^k at or above `raw`. */
export function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  const n = raw / power;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * power;
}

/** Decimal places that show every multiple of `step` exactly (0.05 -> 2, 0.1 -> 1, 5 -> 0). */
export function decimalsFor(step: number): number {
  return Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
}

/** Multiples of `step` within [from, to]. */
export function multiplesWithin(from: number, to: number, step: number): number[] {
  const [first, last] = multipleRange(from, to, step);
  // Integer multiples, not a float step added again and again (no drift).
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => Number(((first + i) * step).toFixed(9)));
}

function multipleRange(from: number, to: number, step: number): [number, number] {
  return [Math.ceil(from / step - 1e-9), Math.floor(to / step + 1e-9)];
}

/** Steps a time axis may use (ms): seconds, minutes, hours, days, all aligned to UTC. */
const TIME_STEPS_MS = [1, 2, 5, 10, 15, 30].map((s) => s * 1_000)
  .concat([1, 2, 5, 10, 15, 30].map((m) => m * 60_000))
  .concat([1, 2, 3, 6, 12, 24].map((h) => h * 3_600_000));

/**
 * Tick times (ms since epoch) for [from, to]: the finest round step that gives at most `maxTicks`
 * ticks, at whole multiples of that step in UTC (10:58:00, 10:58:30, ...).
 */
export function timeTicks(from: number, to: number, maxTicks: number): number[] {
  const limit = Math.max(1, Math.floor(maxTicks));
  const count = (step: number) => {
    const [first, last] = multipleRange(from, to, step);
    return last - first + 1;
  };
  const step = TIME_STEPS_MS.find((s) => count(s) <= limit) ?? niceStep((to - from) / limit);
  return multiplesWithin(from, to, step);
}
