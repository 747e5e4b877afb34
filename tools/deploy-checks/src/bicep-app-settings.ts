import { readFile } from 'node:fs/promises';

/** One `NAME: value` entry of an app-settings object literal in Bicep. */
export interface BicepSetting {
  name: string;
  /** The raw Bicep expression after the colon. */
  expression: string;
  /** The string when the expression is a plain literal ('x' without interpolation), else undefined. */
  literal?: string;
  line: number;
}

export interface BicepAppSettings {
  settings: Map<string, BicepSetting>;
  /** `// drift-check: not set in Azure: KEY (reason)` declarations. */
  notSet: Map<string, string>;
}

/**
 * A structural reader (the Bicep compiler is not installable here) for the one shape the infra
 * keeps app settings in: `var <name> = { ... }` or `var <name> = union({ ... }, cond ? { ... } : {})`,
 * one `KEY: expression` per line. Keys inside conditional objects count as set. Anything the
 * reader does not understand inside the block fails loudly rather than being skipped.
 */
export function parseBicepSettings(source: string, variable: string): BicepAppSettings {
  const lines = source.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^var ${variable}\\s*=`).test(l));
  if (start < 0) throw new Error(`no "var ${variable} =" block`);
  const settings = new Map<string, BicepSetting>();
  let depth = 0;
  for (let i = start; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const code = stripComment(raw);
    const opened = count(code, '{') + count(code, '(') + count(code, '[');
    const closed = count(code, '}') + count(code, ')') + count(code, ']');
    if (i > start) {
      const entry = /^\s*([A-Za-z_][A-Za-z0-9_]*|'[^']+')\s*:\s*(.+?)\s*$/.exec(code);
      if (entry) {
        const name = entry[1]!.replace(/^'|'$/g, '');
        if (settings.has(name)) throw new Error(`line ${i + 1}: ${name} set twice`);
        const expression = entry[2]!;
        settings.set(name, { name, expression, literal: literalOf(expression), line: i + 1 });
      } else if (code.trim() !== '' && !/^[\s{}()[\],?:]*$/.test(code) && !/^\s*\}?\s*,?\s*[A-Za-z!(][^:]*\?\s*\{\s*$/.test(code)) {
        throw new Error(`line ${i + 1}: not a KEY: value line: ${raw.trim()}`);
      }
    }
    depth += opened - closed;
    if (i >= start && depth <= 0 && (opened > 0 || closed > 0)) break;
  }
  const notSet = new Map<string, string>();
  for (const line of lines) {
    const m = /^\/\/\s*drift-check:\s*not set in Azure:\s*([A-Za-z_][A-Za-z0-9_]*)\s*\((.+)\)\s*$/.exec(line.trim());
    if (m) notSet.set(m[1]!, m[2]!);
  }
  return { settings, notSet };
}

export async function readBicepSettings(file: string, variable: string): Promise<BicepAppSettings> {
  return parseBicepSettings(await readFile(file, 'utf8'), variable);
}

function literalOf(expression: string): string | undefined {
  const m = /^'((?:[^'\\]|\\.)*)'$/.exec(expression);
  if (!m || m[1]!.includes('${')) return undefined;
  return m[1]!.replace(/\\'/g, "'");
}

function stripComment(line: string): string {
  // Bicep line comments; '//' inside a string literal (URLs) is not a comment.
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'" && line[i - 1] !== '\\') inString = !inString;
    if (!inString && c === '/' && line[i + 1] === '/') return line.slice(0, i);
  }
  return line;
}

function count(code: string, ch: string): number {
  // Brackets inside string literals (e.g. '${x}') do not nest the block.
  let n = 0;
  let inString = false;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === "'" && code[i - 1] !== '\\') inString = !inString;
    else if (!inString && c === ch) n++;
  }
  return n;
}
