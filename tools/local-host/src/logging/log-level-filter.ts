import { LocalHostError } from '../errors';
import type { Logger, LogLevel, LogRecord } from './logger';

/** host.json `logging.logLevel` values, as the Functions host (Microsoft.Extensions.Logging) names them. */
const RANKS: Record<string, number> = { trace: 0, debug: 1, information: 2, warning: 3, error: 4, critical: 5, none: 6 };
/** The Functions host's categories for its own lines (WebJobs LogCategories). */
export const HOST_GENERAL = 'Host.General';
export const HOST_STARTUP = 'Host.Startup';
export const DURABLE_TASK_CATEGORY = 'Host.Triggers.DurableTask';
const TRIGGER_CATEGORIES: Record<string, string> = {
  eventHubTrigger: 'Host.Triggers.EventHub',
  queueTrigger: 'Host.Triggers.Queue',
  timerTrigger: 'Host.Triggers.Timer',
  orchestrationTrigger: DURABLE_TASK_CATEGORY,
  activityTrigger: DURABLE_TASK_CATEGORY,
  entityTrigger: DURABLE_TASK_CATEGORY,
};

/** The category of a trigger's own lines (its listener's logger in the Functions host). */
export function triggerCategory(triggerType: string): string {
  return TRIGGER_CATEGORIES[triggerType] ?? HOST_GENERAL;
}

const rankOf = (level: LogLevel): number => RANKS[level] ?? RANKS['information']!;

/**
 * The category the Functions host logs a record under: a function's user logs
 * `Function.<name>.User`, its system logs (executing, executed) `Function.<name>`, host logs their
 * own category (`source`: `Host.Startup`, `Host.Triggers.<trigger>` as WebJobs'
 * LogCategories.CreateTriggerCategory names a trigger's logger, `Host.Triggers.DurableTask`) or
 * `Host.General`.
 */
export function categoryOf(record: Partial<LogRecord>): string {
  return categoryFrom(record.category, record.functionName, record.source);
}

function categoryFrom(category: LogRecord['category'], fn: string | undefined, source: string | undefined): string {
  if (category === 'user' && fn) return `Function.${fn}.User`;
  if (category === 'system' && fn) return `Function.${fn}`;
  return source ?? HOST_GENERAL;
}

/**
 * host.json `logging.logLevel` as the Functions host applies it: a record is written when its level
 * is at least the minimum of the most specific configured category that is its category or a
 * dot-separated prefix of it (keys compare case-insensitively), else of `default`, else
 * Information. `None` writes nothing.
 */
export class LogLevelFilter {
  private readonly levels: [string, number][];
  private readonly fallback: number;
  private readonly cache = new Map<string, number>();

  constructor(logLevel: Record<string, string> = {}) {
    const bad: string[] = [];
    const levels: [string, number][] = [];
    let fallback = RANKS['information']!;
    for (const [key, value] of Object.entries(logLevel)) {
      const rank = RANKS[String(value).toLowerCase()];
      if (rank === undefined) {
        bad.push(`logging.logLevel.${key}: "${value}" is not one of Trace, Debug, Information, Warning, Error, Critical, None`);
        continue;
      }
      if (key.toLowerCase() === 'default') fallback = rank;
      else levels.push([key.toLowerCase(), rank]);
    }
    if (bad.length) throw new LocalHostError('HOST_JSON_INVALID', `host.json is invalid: ${bad.join('; ')}`, 'config');
    // Longest (most specific) first.
    this.levels = levels.sort((a, b) => b[0].length - a[0].length);
    this.fallback = fallback;
  }

  /** The minimum rank written for a category. */
  private minimum(category: string): number {
    let min = this.cache.get(category);
    if (min === undefined) {
      const name = category.toLowerCase();
      min = this.levels.find(([key]) => name === key || name.startsWith(`${key}.`))?.[1] ?? this.fallback;
      if (this.cache.size > 1024) this.cache.clear();
      this.cache.set(category, min);
    }
    return min;
  }

  allows(record: Partial<LogRecord> & { level: LogLevel }, defaults: Partial<LogRecord> = {}): boolean {
    // The record's fields over its logger's defaults, without building the merged record (two lines per invocation pass here).
    const category = categoryFrom(record.category ?? defaults.category, record.functionName ?? defaults.functionName, record.source ?? defaults.source);
    return rankOf(record.level) >= this.minimum(category);
  }
}

/** A logger that writes only what host.json's `logging.logLevel` lets through (child loggers included). */
export function filteredLogger(inner: Logger, filter: LogLevelFilter, defaults: Partial<LogRecord> = {}): Logger {
  return {
    log(record: LogRecord): void {
      if (filter.allows(record, defaults)) inner.log(record);
    },
    child(more: Partial<LogRecord>): Logger {
      return filteredLogger(inner.child(more), filter, { ...defaults, ...more });
    },
  };
}
