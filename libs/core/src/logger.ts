import { redactSecrets } from './redact';

export type LogFields = Record<string, unknown>;

/** Structured logging: a constant message plus fields. Implementations must not log secrets. */
export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export type LogSink = (level: 'info' | 'warn' | 'error', line: string) => void;

/** A logger writing one JSON line per entry, with every string field passed through redaction. */
export function jsonLogger(sink: LogSink, base: LogFields = {}): Logger {
  const write = (level: 'info' | 'warn' | 'error', message: string, fields?: LogFields): void => {
    const line = JSON.stringify({ level, message, ...base, ...fields }, (_k, v: unknown) =>
      typeof v === 'string' ? redactSecrets(v) : v,
    );
    sink(level, line);
  };
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
