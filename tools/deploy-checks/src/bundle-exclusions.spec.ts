import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { WORKSPACE_ROOT } from './workspace';

/**
 * tools/build/bundle-app.mjs leaves code out of every function app's bundle that no product path
 * reaches: zod's translations (only English is wired in) and apache-arrow (reached only through
 * @azure/storage-blob's Apache Arrow listings). A source that starts using either would fail at run
 * time in Azure, so this fails first.
 */
const RULES: { pattern: RegExp; why: string }[] = [
  { pattern: /\bz\.locales\b|['"]zod\/(v4\/)?locales/, why: 'zod locales are left out of the bundles (English only)' },
  { pattern: /ApacheArrow\b|['"]apache-arrow['"]/, why: 'apache-arrow is left out of the bundles (list blobs as XML)' },
];

function exclusionViolations(file: string, text: string): string[] {
  return RULES.filter((r) => r.pattern.test(text)).map((r) => `${file}: ${r.why}`);
}

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') out.push(...(await sources(p)));
    } else if (/\.ts$/.test(e.name) && !/\.spec\.ts$/.test(e.name)) out.push(p);
  }
  return out;
}

describe('code left out of the bundles stays unused', () => {
  it('no app or lib source uses zod locales or the Apache Arrow blob listings', async () => {
    const problems: string[] = [];
    for (const top of ['apps', 'libs']) {
      for (const file of await sources(path.join(WORKSPACE_ROOT, top))) {
        problems.push(...exclusionViolations(path.relative(WORKSPACE_ROOT, file), await readFile(file, 'utf8')));
      }
    }
    expect(problems).toEqual([]);
  });

  it('bites on each use', () => {
    expect(exclusionViolations('a.ts', "const fr = z.locales.fr();")).toHaveLength(1);
    expect(exclusionViolations('a.ts', "import { de } from 'zod/v4/locales';")).toHaveLength(1);
    expect(exclusionViolations('a.ts', 'await container.listBlobFlatSegmentApacheArrow(marker);')).toEqual(['a.ts: apache-arrow is left out of the bundles (list blobs as XML)']);
    expect(exclusionViolations('a.ts', "const arrow = await import('apache-arrow');")).toHaveLength(1);
    expect(exclusionViolations('a.ts', 'for await (const item of container.listBlobsFlat()) z.string();')).toEqual([]);
  });
});
