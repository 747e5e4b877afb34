import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { INGESTION_WINDOW_MAX_SECONDS } from '@telemetry/contracts';
import { formatPlan } from './format-plan';
import { readMeasured } from './measured';
import { plan, RULES } from './plan';

export interface PlannerIo {
  out(text: string): void;
  err(text: string): void;
}

/** A number parser for commander: finite, and positive unless zero is allowed. */
const numberArg = (what: string, { zero = false, integer = false, max }: { zero?: boolean; integer?: boolean; max?: number } = {}) =>
  (raw: string): number => {
    const value = raw.trim() === '' ? NaN : Number(raw);
    if (!Number.isFinite(value)) throw new InvalidArgumentError(`${what} must be a number, got "${raw}".`);
    if (value < 0) throw new InvalidArgumentError(`${what} must not be negative, got ${raw}.`);
    if (value === 0 && !zero) throw new InvalidArgumentError(`${what} must be greater than 0, got ${raw}.`);
    if (integer && !Number.isInteger(value)) throw new InvalidArgumentError(`${what} must be a whole number, got ${raw}.`);
    if (max !== undefined && value > max) throw new InvalidArgumentError(`${what} must be at most ${max}, got ${raw}.`);
    return value;
  };

interface PlanOptions {
  eventsPerSecond: number;
  devices: number;
  eventBytes: number;
  window: number;
  arrivals: 'periodic' | 'random';
  maxHeldMb: number;
  deadLetterFraction: number;
  failureWindowMinutes: number;
  bench: string;
  json: boolean;
}

/** `npm run plan -- --events-per-second N --devices D --event-bytes B [--window S] [--max-held-mb M] [--json]` */
export function createProgram(io: PlannerIo, cwd = process.cwd()): Command {
  return new Command('plan')
    .description('Capacity and monthly cost for a steady telemetry load, from the last bench run and dated unit prices')
    .requiredOption('--events-per-second <n>', 'steady ingress rate, events/s', numberArg('--events-per-second'))
    .requiredOption('--devices <d>', 'devices sending', numberArg('--devices', { integer: true }))
    .requiredOption('--event-bytes <b>', 'bytes per event (body and properties)', numberArg('--event-bytes', { max: 1_048_576 }))
    .option('--window <s>', 'the ingestion window (INGESTION_WINDOW_SECONDS): a device\'s events are written once, this many seconds after the first (0 = none)', numberArg('--window', { zero: true, max: INGESTION_WINDOW_MAX_SECONDS }), 0)
    .addOption(new Option('--arrivals <kind>', 'how a device spaces its events: periodic (a timer) or random (independent; the bench\'s simulator); a window folds more of a random device\'s events (1 + x a write against ceil(x))').choices(['periodic', 'random']).default('periodic'))
    .option('--max-held-mb <mb>', 'the window\'s memory bound per instance (INGESTION_WINDOW_MAX_HELD_MB)', numberArg('--max-held-mb', { integer: true, max: RULES.maxHeldMbLimit }), RULES.defaultMaxHeldMb)
    .option('--dead-letter-fraction <f>', 'share of events dead-lettered in normal running', numberArg('--dead-letter-fraction', { zero: true, max: 1 }), 0.001)
    .option('--failure-window-minutes <m>', 'store outage per month whose events are all dead-lettered (99.9% of a month = 43.8)', numberArg('--failure-window-minutes', { zero: true, max: 43_800 }), 43.8)
    .option('--bench <file>', 'benchmarks.json of the bench run to take measured figures from', 'docs/benchmarks.json')
    .option('--json', 'machine-readable output', false)
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError()
    .action((o: PlanOptions) => {
      const measured = readMeasured(path.resolve(cwd, o.bench));
      const result = plan(
        { eventsPerSecond: o.eventsPerSecond, devices: o.devices, eventBytes: o.eventBytes, windowSeconds: o.window, arrivals: o.arrivals, maxHeldMb: o.maxHeldMb, deadLetterFraction: o.deadLetterFraction, failureWindowMinutes: o.failureWindowMinutes },
        measured,
      );
      io.out(o.json ? `${JSON.stringify(result, null, 2)}\n` : formatPlan(result));
    });
}
