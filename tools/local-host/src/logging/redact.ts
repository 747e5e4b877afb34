const SECRET_KEY_NAME = /(key|token|secret|password|connection)/i;
const SECRET_VALUE = /(AccountKey=|SharedAccessKey=|SharedAccessSignature|sig=|key|token)/i;

/** True when a setting value (or its name) looks like it carries a credential. */
export function isSecret(name: string, value: unknown): boolean {
  return SECRET_KEY_NAME.test(name) || (typeof value === 'string' && SECRET_VALUE.test(value));
}

/** Replaces secret-looking values in a flat field map; nested objects are redacted by key name. */
export function redactFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string' && isSecret(name, value)) out[name] = '[redacted]';
    else out[name] = value;
  }
  return out;
}

/** Removes credential fragments from free text (error messages may echo a connection string). */
export function redactText(text: string): string {
  return text
    .replace(/(AccountKey|SharedAccessKey|SharedAccessSignature|sig|code)=([^;&\s"]+)/gi, '$1=[redacted]')
    .replace(/(x-functions-key"?\s*[:=]\s*"?)([^"\s,]+)/gi, '$1[redacted]');
}
