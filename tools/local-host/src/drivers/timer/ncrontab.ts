import { LocalHostError } from '../../errors';

/** A parsed NCRONTAB expression: `{second} {minute} {hour} {day} {month} {day-of-week}` (6 fields, as Azure's Timers extension requires). */
export interface CronSchedule {
  readonly expression: string;
  /** True when the expression has a seconds field that fires more than once a minute. */
  readonly subMinute: boolean;
  /** First occurrence strictly after `after` (UTC). */
  next(after: Date): Date;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
  nameBase?: number;
}

const SPECS: FieldSpec[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, nameBase: 1 },
  { name: 'day-of-week', min: 0, max: 7, names: DAYS, nameBase: 0 },
];

function fail(expression: string, why: string): never {
  throw new LocalHostError('SCHEDULE_INVALID', `NCRONTAB "${expression}": ${why}`, 'config');
}

function parseValue(text: string, spec: FieldSpec, expression: string): number {
  const byName = spec.names?.indexOf(text.slice(0, 3).toUpperCase()) ?? -1;
  const value = byName >= 0 && /^[a-z]+$/i.test(text) ? byName + (spec.nameBase ?? 0) : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(value) || value < spec.min || value > spec.max) fail(expression, `bad ${spec.name} value "${text}"`);
  return value;
}

export function parseField(text: string, spec: FieldSpec, expression: string): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) fail(expression, `bad step in ${spec.name} "${part}"`);
    let lo: number;
    let hi: number;
    if (range === '*') [lo, hi] = [spec.min, spec.max];
    else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      [lo, hi] = [parseValue(a, spec, expression), parseValue(b, spec, expression)];
      if (lo > hi) fail(expression, `empty range in ${spec.name} "${part}"`);
    } else {
      lo = parseValue(range, spec, expression);
      hi = stepText === undefined ? lo : spec.max;
    }
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  if (spec.name === 'day-of-week' && values.has(7)) values.add(0); // 7 is Sunday too
  return values;
}

export function parseNcrontab(expression: string): CronSchedule {
  const fields = expression.trim().split(/\s+/);
  // The Timers extension parses with IncludingSeconds (CronSchedule.TryCreate): a 5-field
  // expression, valid in Unix cron, is not recognised, and Azure disables the function.
  if (fields.length !== 6) fail(expression, `expected 6 fields ({second} {minute} {hour} {day} {month} {day-of-week}), got ${fields.length}; Azure: "The schedule expression '${expression}' was not recognized as a valid cron expression or timespan string."`);
  const [seconds, minutes, hours, days, months, weekdays] = fields.map((f, i) => parseField(f, SPECS[i]!, expression)) as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  const horizon = 5 * 366 * 24 * 3600 * 1000;

  function next(after: Date): Date {
    const t = new Date(Math.floor(after.getTime() / 1000) * 1000 + 1000);
    const limit = after.getTime() + horizon;
    while (t.getTime() <= limit) {
      if (!months.has(t.getUTCMonth() + 1)) {
        t.setUTCMonth(t.getUTCMonth() + 1, 1);
        t.setUTCHours(0, 0, 0, 0);
      } else if (!days.has(t.getUTCDate()) || !weekdays.has(t.getUTCDay())) {
        // NCRONTAB requires both day fields to match (unlike Vixie cron's OR).
        t.setUTCDate(t.getUTCDate() + 1);
        t.setUTCHours(0, 0, 0, 0);
      } else if (!hours.has(t.getUTCHours())) {
        t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
      } else if (!minutes.has(t.getUTCMinutes())) {
        t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
      } else if (!seconds.has(t.getUTCSeconds())) {
        t.setUTCSeconds(t.getUTCSeconds() + 1, 0);
      } else {
        return t;
      }
    }
    return fail(expression, 'no occurrence within 5 years');
  }

  return { expression, subMinute: seconds.size > 1, next };
}
