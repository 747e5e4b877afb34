import { LocalHostError } from '../errors';

/** Parses a .NET TimeSpan ("hh:mm:ss[.fff]", "d.hh:mm:ss") or a number of milliseconds. */
export function parseTimeSpan(value: string | number, setting: string): number {
  if (typeof value === 'number') return value;
  const match = /^(?:(\d+)\.)?(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,7}))?$/.exec(value.trim());
  if (!match) throw new LocalHostError('HOST_JSON_INVALID', `${setting}: "${value}" is not a TimeSpan`, 'config');
  const [, d, h, m, s, f] = match;
  const fraction = f ? Number(`0.${f}`) : 0;
  return ((Number(d ?? 0) * 24 + Number(h)) * 3600 + Number(m) * 60 + Number(s) + fraction) * 1000;
}
