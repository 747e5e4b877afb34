import { readdirSync } from 'node:fs';
import path from 'node:path';

export const INFRA_ROOT = path.resolve(__dirname, '../..');

/** Files under infra/ with the given extension, excluding these checks and their fixtures. */
export function infraFiles(extension: string, root = INFRA_ROOT): string[] {
  const out: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) { if (full !== path.join(root, 'checks') && entry.name !== 'node_modules') visit(full); }
      else if (entry.name.endsWith(extension)) out.push(full);
    }
  };
  visit(root);
  return out.sort();
}
