// The product's one redactor (libs/core), so the host's logs and the apps' logs mask the same formats.
import { redactSecrets, redactValue } from '@telemetry/core';

export type LogLevel = 'trace' | 'debug' | 'information' | 'warning' | 'error' | 'critical';

export interface LogRecord {
  level: LogLevel;
  message: string;
  functionName?: string;
  invocationId?: string;
  category?: 'user' | 'system' | 'host';
  fields?: Record<string, unknown>;
}

export interface Logger {
  log(record: LogRecord): void;
  child(defaults: Partial<LogRecord>): Logger;
}

export type LogSink = (line: string) => void;

const stderrSink: LogSink = (line) => process.stderr.write(line + '\n');

/** Single-line JSON logs on stderr (stdout carries only the CLI's ready line). Secrets redacted. */
export class JsonLogger implements Logger {
  constructor(
    private readonly sink: LogSink = stderrSink,
    private readonly defaults: Partial<LogRecord> = {},
  ) {}

  log(record: LogRecord): void {
    const merged = { ...this.defaults, ...record };
    const fields = merged.fields ? (redactValue(merged.fields) as Record<string, unknown>) : undefined;
    const line = {
      time: new Date().toISOString(),
      level: merged.level,
      category: merged.category ?? 'host',
      functionName: merged.functionName,
      invocationId: merged.invocationId,
      message: redactSecrets(merged.message),
      ...(fields && Object.keys(fields).length ? { fields } : {}),
    };
    this.sink(JSON.stringify(line));
  }

  child(defaults: Partial<LogRecord>): Logger {
    return new JsonLogger(this.sink, { ...this.defaults, ...defaults });
  }
}
