import type { StartPosition } from '../storage/partition';

const FILTER = /^amqp\.annotation\.x-opt-(offset|sequence-number|enqueued-time)\s*(>=|>)\s*'([^']*)'$/;

/**
 * Parses the `apache.org:selector-filter:string` the SDK puts on a receive link:
 * `amqp.annotation.x-opt-offset > '-1'` (earliest), `> '@latest'`, `>[=] '<offset>'`,
 * `amqp.annotation.x-opt-sequence-number >[=] '<n>'`, `amqp.annotation.x-opt-enqueued-time > '<ms>'`.
 * Returns undefined when the expression is not one of those.
 */
export function parsePositionFilter(expression: string): StartPosition | undefined {
  const match = FILTER.exec(expression.trim());
  if (!match) return undefined;
  const [, field, operator, value = ''] = match;
  const inclusive = operator === '>=';
  if (field === 'offset') {
    if (value === '@latest') return { kind: 'latest' };
    if (value === '-1' && !inclusive) return { kind: 'earliest' };
    if (!/^-?\d+$/.test(value)) return undefined;
    return { kind: 'offset', offset: Number(value), inclusive };
  }
  if (!/^-?\d+$/.test(value)) return undefined;
  if (field === 'sequence-number') return { kind: 'sequence', sequenceNumber: Number(value), inclusive };
  return { kind: 'enqueued', ms: Number(value), inclusive };
}

/** Finds the selector expression in a decoded rhea source filter map. */
export function selectorExpression(filter: unknown): string | undefined {
  if (!filter || typeof filter !== 'object') return undefined;
  for (const value of Object.values(filter as Record<string, unknown>)) {
    if (typeof value === 'string') return value;
    if (value && typeof value === 'object' && 'value' in value) {
      const inner = (value as { value: unknown }).value;
      if (typeof inner === 'string') return inner;
    }
  }
  return undefined;
}
