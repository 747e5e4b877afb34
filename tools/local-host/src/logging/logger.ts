// The product's one redactor (libs/core), so the host's logs and the apps' logs mask the same formats.
import { isCredentialField, redactSecrets, redactValue } from '@telemetry/core';

export type LogLevel = 'trace' | 'debug' | 'information' | 'warning' | 'error' | 'critical';

export interface LogRecord {
  level: LogLevel;
  message: string;
  functionName?: string;
  invocationId?: string;
  category?: 'user' | 'system' | 'host';
  /** A host log's category in the Functions host (e.g. `Host.Triggers.EventHub`), for host.json `logging.logLevel`; not written. */
  source?: string;
  fields?: Record<string, unknown>;
}

export interface Logger {
  log(record: LogRecord): void;
  child(defaults: Partial<LogRecord>): Logger;
}

export type LogSink = (line: string) => void;

const stderrSink: LogSink = (line) => process.stderr.write(line + '\n');

// redactSecrets is a pure function of its text, and the host's messages and most field values are
// constants ('function executing', 'Succeeded', 'event hub partition 0'): each text is redacted
// once, then looked up. Bounded: emptied when full, so one-off texts (error messages) cannot grow
// it. Only the redacted text is ever written; the originals stay in this process's memory, as
// they already were.
const REDACTED_CAPACITY = 512;
const REDACTED_MAX_LENGTH = 256;
const redacted = new Map<string, string>();

function redactText(text: string): string {
  if (text.length > REDACTED_MAX_LENGTH) return redactSecrets(text);
  let out = redacted.get(text);
  if (out === undefined) {
    out = redactSecrets(text);
    if (redacted.size >= REDACTED_CAPACITY) redacted.clear();
    redacted.set(text, out);
  }
  return out;
}

/**
 * redactValue(fields), without its walk for the usual flat fields (strings, numbers, booleans).
 * A field whose name says credential, and anything nested, goes through redactValue itself.
 */
function redactFields(fields: Record<string, unknown>): Record<string, unknown> {
  const prototype = Object.getPrototypeOf(fields) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return redactValue(fields) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(fields)) {
    const value = fields[name];
    if (typeof value === 'string') out[name] = isCredentialField(name) ? (redactValue({ [name]: value }) as Record<string, unknown>)[name] : redactText(value);
    else if (value === null || value === undefined) out[name] = value;
    // Numbers and booleans as they are, unless the name says credential; bigints as text.
    else if (typeof value !== 'object') out[name] = typeof value === 'bigint' || isCredentialField(name) ? (redactValue({ [name]: value }) as Record<string, unknown>)[name] : value;
    else return redactValue(fields) as Record<string, unknown>;
  }
  return out;
}

// The ISO time of the current millisecond, formatted once per millisecond.
let lastMs = Number.NaN;
let lastIso = '';
function isoNow(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

/** Single-line JSON logs on stderr (stdout carries only the CLI's ready line). Secrets redacted. */
export class JsonLogger implements Logger {
  constructor(
    private readonly sink: LogSink = stderrSink,
    private readonly defaults: Partial<LogRecord> = {},
  ) {}

  log(record: LogRecord): void {
    const merged = { ...this.defaults, ...record };
    const fields = merged.fields ? redactFields(merged.fields) : undefined;
    const line = {
      time: isoNow(),
      level: merged.level,
      category: merged.category ?? 'host',
      functionName: merged.functionName,
      invocationId: merged.invocationId,
      message: redactText(merged.message),
      ...(fields && Object.keys(fields).length ? { fields } : {}),
    };
    this.sink(JSON.stringify(line));
  }

  child(defaults: Partial<LogRecord>): Logger {
    return new JsonLogger(this.sink, { ...this.defaults, ...defaults });
  }
}
