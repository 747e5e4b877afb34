/** ASP.NET-style route templates as the Functions host uses them: `items/{id:int}/{name?}`, `{*rest}`. */
export interface RouteTemplate {
  readonly text: string;
  match(path: string): Record<string, string> | undefined;
}

type Segment =
  | { kind: 'literal'; value: string }
  | { kind: 'param'; name: string; optional: boolean; catchAll: boolean; constraints: string[] };

const CONSTRAINTS: Record<string, (value: string, arg?: string) => boolean> = {
  int: (v) => /^-?\d+$/.test(v) && Math.abs(Number(v)) <= 2 ** 31,
  long: (v) => /^-?\d+$/.test(v),
  alpha: (v) => /^[a-z]+$/i.test(v),
  bool: (v) => /^(true|false)$/i.test(v),
  guid: (v) => /^\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?$/i.test(v),
  float: (v) => v.trim() !== '' && Number.isFinite(Number(v)),
  double: (v) => v.trim() !== '' && Number.isFinite(Number(v)),
  decimal: (v) => v.trim() !== '' && Number.isFinite(Number(v)),
  datetime: (v) => !Number.isNaN(Date.parse(v)),
  min: (v, a) => Number(v) >= Number(a),
  max: (v, a) => Number(v) <= Number(a),
  range: (v, a = '') => {
    const [lo, hi] = a.split(',').map(Number);
    return Number(v) >= (lo ?? -Infinity) && Number(v) <= (hi ?? Infinity);
  },
  length: (v, a = '') => {
    const [lo, hi] = a.split(',').map(Number);
    return hi === undefined ? v.length === lo : v.length >= (lo ?? 0) && v.length <= hi;
  },
  minlength: (v, a) => v.length >= Number(a),
  maxlength: (v, a) => v.length <= Number(a),
  regex: (v, a = '') => new RegExp(a, 'i').test(v),
};

function checkConstraint(constraint: string, value: string): boolean {
  const match = /^(\w+)(?:\((.*)\))?$/.exec(constraint);
  const check = match && CONSTRAINTS[match[1]!.toLowerCase()];
  return check ? check(value, match?.[2]) : true;
}

function parseSegment(text: string): Segment {
  const param = /^\{(\*)?([^:?}]+)((?::[^:?}(]+(?:\([^)]*\))?)*)(\?)?\}$/.exec(text);
  if (!param) return { kind: 'literal', value: text.toLowerCase() };
  const constraints = (param[3] ?? '').split(':').filter(Boolean);
  return { kind: 'param', name: param[2]!, catchAll: !!param[1], optional: !!param[4] || !!param[1], constraints };
}

export function parseRouteTemplate(text: string): RouteTemplate {
  const segments = text.split('/').filter(Boolean).map(parseSegment);
  return {
    text,
    match(path) {
      // `path` is already percent-decoded (decodeRequestPath): decoding again would turn `%25xx` into an escape.
      const parts = path.split('/').filter(Boolean);
      const params: Record<string, string> = {};
      for (let i = 0; i < segments.length; i++) {
        const segment = segments[i]!;
        const part = parts[i];
        if (segment.kind === 'literal') {
          if (part?.toLowerCase() !== segment.value) return undefined;
          continue;
        }
        if (segment.catchAll) {
          const rest = parts.slice(i).join('/');
          if (rest) params[segment.name] = rest;
          return params;
        }
        if (part === undefined) {
          if (!segment.optional) return undefined;
          continue;
        }
        if (!segment.constraints.every((c) => checkConstraint(c, part))) return undefined;
        params[segment.name] = part;
      }
      return parts.length <= segments.length ? params : undefined;
    },
  };
}
