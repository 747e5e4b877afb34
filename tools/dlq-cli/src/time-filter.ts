const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since/--until`: an ISO 8601 time, or an age such as 30m, 2h, 7d (before now). */
export function parseTime(value: string, now: Date = new Date()): Date {
  const age = /^(\d+(?:\.\d+)?)([smhd])$/.exec(value.trim());
  if (age) return new Date(now.getTime() - Number(age[1]) * UNITS[age[2]!]!);
  const at = Date.parse(value);
  if (!Number.isFinite(at)) throw new Error(`not a time: "${value}" (use ISO 8601, or an age like 30m, 2h, 7d)`);
  return new Date(at);
}

/** "3h 12m" style age of an ISO time. */
export function ageOf(iso: string | null, now: Date = new Date()): string {
  // A letter's time may be anything a queue writer put there: no age for what is not a time.
  const at = typeof iso === 'string' ? Date.parse(iso) : NaN;
  if (!Number.isFinite(at)) return '-';
  let ms = Math.max(0, now.getTime() - at);
  const d = Math.floor(ms / UNITS['d']!);
  ms -= d * UNITS['d']!;
  const h = Math.floor(ms / UNITS['h']!);
  ms -= h * UNITS['h']!;
  const m = Math.floor(ms / UNITS['m']!);
  const s = Math.floor((ms - m * UNITS['m']!) / 1000);
  return d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${s}s` : `${s}s`;
}
