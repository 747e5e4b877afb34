import { readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * package.json `main` as the Node worker reads it: a file or a glob (`functions/*.js`,
 * `dist/src/functions/*.js`, `dist/src/{index.js,functions/*.js}`), matched from the app folder
 * with globby; every match is loaded (azure-functions-nodejs-worker src/startApp.ts
 * loadEntryPointFile). Supported here: `*`, `?`, `**`, `{a,b}` and `[...]`, which is what the
 * templates write; files only, `/` separators, sorted for a stable load order.
 */
export function hasGlobMagic(pattern: string): boolean {
  return /[*?[\]{}]/.test(pattern);
}

function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{');
  if (open < 0) return [pattern];
  let depth = 0;
  for (let i = open; i < pattern.length; i++) {
    if (pattern[i] === '{') depth++;
    else if (pattern[i] === '}' && --depth === 0) {
      const options: string[] = [];
      let level = 0;
      let start = open + 1;
      for (let j = open + 1; j < i; j++) {
        if (pattern[j] === '{') level++;
        else if (pattern[j] === '}') level--;
        else if (pattern[j] === ',' && level === 0) {
          options.push(pattern.slice(start, j));
          start = j + 1;
        }
      }
      options.push(pattern.slice(start, i));
      return options.flatMap((o) => expandBraces(pattern.slice(0, open) + o + pattern.slice(i + 1)));
    }
  }
  return [pattern];
}

function segmentRegExp(segment: string): RegExp {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const close = segment.indexOf(']', i + 1);
      if (close < 0) source += '\\[';
      else {
        source += `[${segment.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else source += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  // globby (fast-glob) does not match dot files with `*` unless asked.
  return new RegExp(`^(?!\\.)${source}$`);
}

function matchSegments(pattern: string[], parts: string[]): boolean {
  if (pattern.length === 0) return parts.length === 0;
  const [head, ...rest] = pattern;
  if (head === '**') {
    for (let skip = 0; skip <= parts.length; skip++) if (matchSegments(rest, parts.slice(skip))) return true;
    return false;
  }
  if (parts.length === 0) return false;
  return segmentRegExp(head!).test(parts[0]!) && matchSegments(rest, parts.slice(1));
}

function walk(dir: string, relative: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) walk(path.join(dir, entry.name), rel, out);
    else if (entry.isFile()) out.push(rel);
  }
}

/** Files under `cwd` matching the glob, as paths relative to `cwd` with `/`, sorted. */
export function globFiles(pattern: string, cwd: string): string[] {
  const patterns = expandBraces(pattern.replace(/^\.\//, '')).map((p) => p.split('/').filter((s) => s !== '' && s !== '.'));
  // Walk only below the longest literal prefix every alternative shares.
  const files: string[] = [];
  const roots = new Set(patterns.map((segments) => {
    const literal: string[] = [];
    for (const s of segments.slice(0, -1)) {
      if (hasGlobMagic(s)) break;
      literal.push(s);
    }
    return literal.join('/');
  }));
  for (const root of roots) {
    try {
      walk(path.join(cwd, root), root, files);
    } catch {
      // A literal prefix that does not exist matches nothing.
    }
  }
  return [...new Set(files)].filter((file) => patterns.some((segments) => matchSegments(segments, file.split('/')))).sort();
}
