import { redactSecrets, redactValue } from './redact';

export type LogFields = Record<string, unknown>;

/** Structured logging: a constant message plus fields. Implementations must not log secrets. */
export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export type LogSink = (level: 'info' | 'warn' | 'error', line: string) => void;

/**
 * A logger writing one JSON line per entry, its fields through redactValue: strings redacted, any
 * value under a credential-named field masked, bytes by their length, class instances as JSON
 * would write them.
 */
export function jsonLogger(sink: LogSink, base: LogFields = {}): Logger {
  const write = (level: 'info' | 'warn' | 'error', message: string, fields?: LogFields): void => {
    const line = JSON.stringify({ level, message: redactSecrets(message), ...(redactValue({ ...base, ...fields }) as LogFields) });
    sink(level, line);
  };
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
