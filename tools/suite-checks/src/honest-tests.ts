import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A line of a spec file that would make the suite pass without running everything it declares. */
export interface Finding {
  file: string;
  line: number;
  rule: 'focused' | 'skipped';
  text: string;
}

// Focused: "only" on it/describe/test, and the f-prefixed it/describe, run some tests and silently
// drop the rest. Skipped: "skip" and "todo" on them, and the x-prefixed forms, declare tests that
// never run.
const FOCUSED = /(?:\b(?:it|test|describe)(?:\.each\([^)]*\))?\.only\s*[(`]|(?<![\w.$])f(?:it|describe)\s*\()/;
const SKIPPED = /(?:\b(?:it|test|describe)(?:\.each\([^)]*\))?\.(?:skip|todo)\s*[(`]|(?<![\w.$])x(?:it|describe|test)\s*\()/;

/** Findings in one spec file's text (comments are not code: `//` lines are ignored). */
export function findInSpec(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line.startsWith('//') || line.startsWith('*') || line.startsWith('/*')) return;
    if (FOCUSED.test(line)) findings.push({ file, line: i + 1, rule: 'focused', text: line });
    else if (SKIPPED.test(line)) findings.push({ file, line: i + 1, rule: 'skipped', text: line });
  });
  return findings;
}

/** Every `*.spec.ts` under the workspace's apps/, libs/ and tools/ (node_modules and dist excluded). */
export function specFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.spec.ts')) out.push(full);
    }
  };
  for (const top of ['apps', 'libs', 'tools']) walk(path.join(root, top));
  return out.sort();
}

export function findInWorkspace(root: string): Finding[] {
  return specFiles(root).flatMap((file) => findInSpec(path.relative(root, file), readFileSync(file, 'utf8')));
}
