import { METRIC_CATALOGUE, isMetricName, type MetricAttributes, type MetricName } from './metric-catalogue';

export type Measurement =
  | { ok: true; name: MetricName; value: number; attributes: MetricAttributes }
  | { ok: false; reason: string };

/**
 * Checks one measurement against the catalogue: known name of the right kind, finite value
 * (non-negative for counters), exactly the catalogue's attribute keys with string values.
 * Types enforce this at compile time; this guards callers that bypass them (JS, casts).
 */
export function validateMeasurement(kind: 'counter' | 'histogram', name: string, value: number, attributes: unknown): Measurement {
  if (!isMetricName(name)) return { ok: false, reason: `unknown metric ${name}` };
  const definition = METRIC_CATALOGUE[name];
  if (definition.kind !== kind) return { ok: false, reason: `${name} is a ${definition.kind}` };
  if (!Number.isFinite(value) || (kind === 'counter' && value < 0)) return { ok: false, reason: `${name}: invalid value ${value}` };
  const given = (attributes ?? {}) as Record<string, unknown>;
  const expected: readonly string[] = definition.attributes;
  const keys = Object.keys(given);
  const wrong = keys.filter((k) => !expected.includes(k) || typeof given[k] !== 'string');
  const missing = expected.filter((k) => !(k in given));
  if (wrong.length > 0 || missing.length > 0) {
    return { ok: false, reason: `${name}: attributes must be exactly [${expected.join(', ')}] as strings` };
  }
  return { ok: true, name, value, attributes: given as MetricAttributes };
}
