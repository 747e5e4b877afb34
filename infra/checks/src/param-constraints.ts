import { evaluate, fileScope, UNKNOWN, type Value } from './bicep-literal';
import type { BicepFile, ParamDeclaration } from './bicep-file';

/**
 * What a parameter's decorators say about a known value: `@allowed`, `@minValue`/`@maxValue`,
 * `@minLength`/`@maxLength`. Unknown values pass (only ARM knows them). Returns the violations.
 */
export function constraintViolations(file: BicepFile, param: ParamDeclaration, value: Value): string[] {
  if (value === UNKNOWN) return [];
  const arg = (name: string): Value => {
    const call = param.decorators.get(name);
    const first = call?.childForFieldName('arguments')?.namedChildren[0];
    return first ? evaluate(first, fileScope(file)) : UNKNOWN;
  };
  const out: string[] = [];
  const allowed = arg('allowed');
  if (Array.isArray(allowed) && !allowed.some((a) => JSON.stringify(a) === JSON.stringify(value))) out.push(`${JSON.stringify(value)} is not one of @allowed ${JSON.stringify(allowed)}`);
  const min = arg('minValue');
  const max = arg('maxValue');
  if (typeof value === 'number' && typeof min === 'number' && value < min) out.push(`${value} is below @minValue(${min})`);
  if (typeof value === 'number' && typeof max === 'number' && value > max) out.push(`${value} is above @maxValue(${max})`);
  const length = typeof value === 'string' || Array.isArray(value) ? value.length : undefined;
  const minLength = arg('minLength');
  const maxLength = arg('maxLength');
  if (length !== undefined && typeof minLength === 'number' && length < minLength) out.push(`length ${length} is below @minLength(${minLength})`);
  if (length !== undefined && typeof maxLength === 'number' && length > maxLength) out.push(`length ${length} is above @maxLength(${maxLength})`);
  return out;
}
