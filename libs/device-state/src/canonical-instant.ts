const ZERO = 48;
const MS_PER_DAY = 86_400_000;

const digit = (b: Uint8Array, at: number): number => {
  const d = b[at]! - ZERO;
  return d >= 0 && d <= 9 ? d : Number.NaN;
};
const two = (b: Uint8Array, at: number): number => digit(b, at) * 10 + digit(b, at + 1);

const isLeap = (year: number): boolean => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days from 1970-01-01 to a proleptic Gregorian date (month 1-12), for any year >= 0. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/**
 * Epoch milliseconds of the ASCII timestamp in bytes [start, end) when it has one of the two
 * canonical UTC forms `toISOString` writes (`YYYY-MM-DDTHH:mm:ssZ`, `YYYY-MM-DDTHH:mm:ss.sssZ`),
 * checked as telemetrySchema checks them (real calendar dates, hours 00-23, minutes and seconds
 * 00-59); NaN for anything else, valid forms that are not canonical included (offsets, other
 * fraction lengths): the caller hands those to the schema's pattern and Date.parse. No regex, no
 * Date: canonical-instant.spec.ts checks it against both.
 */
export function canonicalInstantMillis(b: Uint8Array, start: number, end: number): number {
  const n = end - start;
  if (n !== 20 && n !== 24) return Number.NaN;
  const s = start;
  if (b[s + 4] !== 45 || b[s + 7] !== 45 || b[s + 10] !== 84 || b[s + 13] !== 58 || b[s + 16] !== 58 || b[end - 1] !== 90) return Number.NaN;
  const year = two(b, s) * 100 + two(b, s + 2);
  const month = two(b, s + 5);
  const day = two(b, s + 8);
  const hour = two(b, s + 11);
  const minute = two(b, s + 14);
  const second = two(b, s + 17);
  let ms = 0;
  if (n === 24) {
    if (b[s + 19] !== 46) return Number.NaN;
    ms = digit(b, s + 20) * 100 + two(b, s + 21);
  }
  // NaN (a non-digit) fails every comparison.
  if (!(year >= 0 && month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && second <= 59 && ms >= 0)) return Number.NaN;
  if (!(day <= DAYS_IN_MONTH[month - 1]! || (month === 2 && day === 29 && isLeap(year)))) return Number.NaN;
  return daysFromCivil(year, month, day) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
}
