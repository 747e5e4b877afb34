import type { Node } from './bicep-parser';
import { firstOfType, propertyKey, type BicepFile } from './bicep-file';

/** A value the evaluator cannot know (a parameter without a value, a resource property, ...). */
export const UNKNOWN: unique symbol = Symbol('unknown');
export type Value = string | number | boolean | null | Value[] | { [key: string]: Value } | typeof UNKNOWN;

export type Scope = (name: string) => Value;

/**
 * Evaluates the literal part of Bicep: strings (with interpolation), numbers, booleans, arrays,
 * objects, member/index access, ternaries, comprehensions and a few pure functions. Anything
 * else is UNKNOWN, which propagates. Enough to read the tables infra declares (names, grants).
 */
export function evaluate(node: Node, scope: Scope): Value {
  switch (node.type) {
    case 'string': {
      let out = '';
      for (const part of node.namedChildren) {
        if (!part) continue;
        if (part.type === 'interpolation') {
          const v = part.namedChildren[0] ? evaluate(part.namedChildren[0], scope) : UNKNOWN;
          if (v === UNKNOWN || typeof v === 'object') return UNKNOWN;
          out += String(v);
        } else if (part.type === 'escape_sequence') out += part.text.slice(1);
        else out += part.text;
      }
      return out;
    }
    case 'number': return Number(node.text);
    case 'boolean': return node.text === 'true';
    case 'null': return null;
    case 'parenthesized_expression': return node.namedChildren[0] ? evaluate(node.namedChildren[0], scope) : UNKNOWN;
    case 'array': return node.namedChildren.filter((c): c is Node => !!c && c.type !== 'decorators' && c.type !== 'comment').map((c) => evaluate(c, scope));
    case 'object': {
      const out: Record<string, Value> = {};
      for (const prop of node.namedChildren) {
        if (prop?.type !== 'object_property') continue;
        const key = propertyKey(prop);
        const value = prop.namedChildren.at(-1);
        if (key === undefined || !value) return UNKNOWN;
        out[key] = evaluate(value, scope);
      }
      return out;
    }
    case 'identifier': return scope(node.text);
    case 'member_expression': {
      const object = evaluate(node.childForFieldName('object')!, scope);
      const key = node.childForFieldName('property')?.text ?? '';
      return isRecord(object) && key in object ? object[key]! : UNKNOWN;
    }
    case 'subscript_expression': {
      const object = evaluate(node.childForFieldName('object')!, scope);
      const index = evaluate(node.childForFieldName('index')!, scope);
      if (Array.isArray(object) && typeof index === 'number') return object[index] ?? UNKNOWN;
      return isRecord(object) && typeof index === 'string' && index in object ? object[index]! : UNKNOWN;
    }
    case 'ternary_expression': {
      const condition = evaluate(node.childForFieldName('condition')!, scope);
      if (typeof condition !== 'boolean') return UNKNOWN;
      return evaluate(node.childForFieldName(condition ? 'consequence' : 'alternative')!, scope);
    }
    case 'for_statement': {
      const variable = node.childForFieldName('initializer')?.text;
      const body = node.childForFieldName('body');
      const init = node.childForFieldName('initializer');
      const source = node.namedChildren.find((c) => c && c.id !== body?.id && c.id !== init?.id && c.type !== 'for_loop_parameters');
      const items = source ? evaluate(source, scope) : UNKNOWN;
      if (!variable || !body || !Array.isArray(items)) return UNKNOWN;
      return items.map((item) => evaluate(body, (name) => (name === variable ? item : scope(name))));
    }
    case 'call_expression': return call(node, scope);
    case 'unary_expression': {
      const operator = node.children[0]?.type;
      const argument = node.childForFieldName('argument');
      const v = argument ? evaluate(argument, scope) : UNKNOWN;
      return operator === '!' && typeof v === 'boolean' ? !v : UNKNOWN;
    }
    case 'binary_expression': {
      const left = evaluate(node.childForFieldName('left')!, scope);
      const right = evaluate(node.childForFieldName('right')!, scope);
      const operator = node.childForFieldName('operator')?.text;
      if (left === UNKNOWN || right === UNKNOWN) return UNKNOWN;
      if (operator === '&&' || operator === '||') {
        if (typeof left !== 'boolean' || typeof right !== 'boolean') return UNKNOWN;
        return operator === '&&' ? left && right : left || right;
      }
      if (operator === '==' || operator === '!=') {
        if (typeof left === 'object' || typeof right === 'object') return UNKNOWN;
        return (left === right) === (operator === '==');
      }
      if (typeof left === 'number' && typeof right === 'number') {
        // Bicep's int arithmetic: `/` and `%` truncate (64-bit integers).
        switch (operator) {
          case '+': return left + right;
          case '-': return left - right;
          case '*': return left * right;
          case '/': return right === 0 ? UNKNOWN : Math.trunc(left / right);
          case '%': return right === 0 ? UNKNOWN : left % right;
          case '<': return left < right;
          case '<=': return left <= right;
          case '>': return left > right;
          case '>=': return left >= right;
        }
      }
      return UNKNOWN;
    }
    default: return UNKNOWN;
  }
}

function call(node: Node, scope: Scope): Value {
  const name = node.childForFieldName('function')?.text;
  const args = (node.childForFieldName('arguments')?.namedChildren ?? []).map((a) => (a ? evaluate(a, scope) : UNKNOWN));
  if (args.includes(UNKNOWN)) return UNKNOWN;
  switch (name) {
    case 'concat': return args.every(Array.isArray) ? (args as Value[][]).flat() : args.every((a) => typeof a === 'string') ? args.join('') : UNKNOWN;
    case 'union': return args.every(isRecord) ? Object.assign({}, ...args) : UNKNOWN;
    case 'min': return args.length > 0 && args.every((a) => typeof a === 'number') ? Math.min(...(args as number[])) : UNKNOWN;
    case 'max': return args.length > 0 && args.every((a) => typeof a === 'number') ? Math.max(...(args as number[])) : UNKNOWN;
    case 'string': return typeof args[0] === 'number' || typeof args[0] === 'boolean' ? String(args[0]) : typeof args[0] === 'string' ? args[0] : UNKNOWN;
    case 'toLower': return typeof args[0] === 'string' ? args[0].toLowerCase() : UNKNOWN;
    case 'toUpper': return typeof args[0] === 'string' ? args[0].toUpperCase() : UNKNOWN;
    case 'empty': {
      const [v = UNKNOWN] = args;
      return typeof v === 'string' || Array.isArray(v) ? v.length === 0 : isRecord(v) ? Object.keys(v).length === 0 : UNKNOWN;
    }
    default: return UNKNOWN;
  }
}

export function isRecord(v: Value): v is { [key: string]: Value } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A scope over a file's variables (evaluated on demand) and the given parameter values. */
export function fileScope(file: BicepFile, params: Record<string, Value> = {}): Scope {
  const cache = new Map<string, Value>();
  const scope: Scope = (name) => {
    if (name in params) return params[name]!;
    if (cache.has(name)) return cache.get(name)!;
    const declaration = file.variables.get(name);
    const value = declaration?.namedChildren.at(-1);
    cache.set(name, UNKNOWN); // cycles stay unknown
    const result = value && value.id !== firstOfType(declaration!, 'identifier')?.id ? evaluate(value, scope) : UNKNOWN;
    cache.set(name, result);
    return result;
  };
  return scope;
}
