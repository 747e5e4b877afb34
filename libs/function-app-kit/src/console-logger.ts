import { jsonLogger, type LogFields, type Logger } from '@telemetry/core';

/**
 * The apps' logger: one redacted JSON line per entry on the console, which the Functions host
 * forwards to Application Insights (traces) at the matching level.
 */
export function consoleLogger(app: string, base: LogFields = {}): Logger {
  return jsonLogger((level, line) => (level === 'error' ? console.error(line) : level === 'warn' ? console.warn(line) : console.info(line)), { app, ...base });
}
