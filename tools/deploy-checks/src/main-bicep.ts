import { readFile } from 'node:fs/promises';

/** App module paths main.bicep wires (`module x 'apps/<app>.bicep'`) and the keys of `output functionApps`. */
export function parseMainBicep(source: string): { modules: string[]; functionAppOutputs: string[] } {
  const modules = [...source.matchAll(/^module\s+\w+\s+'apps\/([\w-]+)\.bicep'/gm)].map((m) => m[1]!).sort();
  const lines = source.split('\n');
  const start = lines.findIndex((l) => /^output functionApps object = \{\s*$/.test(l));
  if (start < 0) throw new Error('main.bicep: no "output functionApps object = {" block');
  const functionAppOutputs: string[] = [];
  for (let i = start + 1; i < lines.length && !/^\}/.test(lines[i]!); i++) {
    const m = /^\s*('([\w-]+)'|([\w]+))\s*:/.exec(lines[i]!);
    if (m) functionAppOutputs.push(m[2] ?? m[3]!);
  }
  return { modules, functionAppOutputs: functionAppOutputs.sort() };
}

export async function readMainBicep(file: string): Promise<ReturnType<typeof parseMainBicep>> {
  return parseMainBicep(await readFile(file, 'utf8'));
}
