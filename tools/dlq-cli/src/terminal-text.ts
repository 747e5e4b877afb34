import { redactLabelledText, redactSecrets, redactValue } from '@telemetry/core';

// Letter text is untrusted (anyone who can write to the queue writes letters), and an operator's
// terminal obeys what it prints: ESC/CSI/OSC sequences (clear the screen, set the title, write the
// clipboard with OSC 52), BEL, a bare CR that overwrites a line, and bidi overrides that show text
// in another order than it is. So every character of that kind is shown as an escape instead.
// C0 controls, DEL, C1 controls (U+0080-009F: 8-bit CSI and OSC), the line and paragraph
// separators, the bidi marks, embeddings, overrides and isolates.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// The same, but for a multi-line block (a body): line feeds and tabs lay it out.
const UNSAFE_IN_BLOCK = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// What JSON.stringify leaves raw: it escapes C0 only. Inside a JSON string `\uXXXX` is the same text.
const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const hex = (c: string, width: number): string => c.charCodeAt(0).toString(16).padStart(width, '0');
/** `\x1b` for a character below U+0100, `\u202e` above. */
const visible = (c: string): string => (c.charCodeAt(0) < 0x100 ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`);

/** Any value as text, whatever a crafted letter holds where a string was due (never throws). */
function textOf(value: unknown, empty: string): string {
  if (value === null || value === undefined) return empty;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  try {
    return JSON.stringify(value) ?? empty;
  } catch {
    return '[unprintable]';
  }
}

/**
 * One field of a letter for a line of human output: redacted (as the product's logs are), then
 * every control or bidi character shown as an escape, a line feed too: one field, one line.
 * Redaction comes first because it may decode (\u escapes, percent-encoding) what it masks.
 */
export function shown(value: unknown, empty = '-'): string {
  return redactSecrets(textOf(value, empty)).replace(UNSAFE, visible);
}

/** A multi-line text (a body) for human output: as `shown`, keeping its line feeds and tabs. */
export function shownBlock(text: string): string {
  return redactSecrets(text).replace(UNSAFE_IN_BLOCK, visible);
}

/**
 * A command's `--json` output: every string redacted (redactValue, as log fields are), then
 * written by `redactedJsonText`. Field names and shapes are unchanged.
 */
export function jsonText(value: unknown): string {
  return redactedJsonText(redactValue(value));
}

/**
 * JSON of an already redacted value, with the characters JSON.stringify leaves raw (C1 controls,
 * bidi) written as \u escapes: JSON reads them back as the same text, a terminal shows them inert.
 */
export function redactedJsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(RAW_IN_JSON, (c) => `\\u${hex(c, 4)}`);
}

/**
 * A body kept as base64 (for replay): masked only where a label, scheme or structure marks a
 * credential (as ingestion redacts bodies), not where bare base64 looks like one, which would mask
 * the base64 itself. The same text when there is nothing to mask.
 */
export function redactedBase64Body(body: string): string {
  const text = Buffer.from(body, 'base64').toString('latin1');
  const redacted = redactLabelledText(text);
  return redacted === text ? body : Buffer.from(redacted, 'latin1').toString('base64');
}

/** A base64 body for human output: `redactedBase64Body`, with anything that is not base64 escaped. */
export function shownBase64Body(body: string): string {
  return redactedBase64Body(body).replace(UNSAFE, visible);
}
