import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { WORKSPACE_ROOT } from './workspace';

/**
 * tools/build/bundle-app.mjs leaves code out of every function app's bundle that no product path
 * reaches: zod's translations (only English is wired in) and apache-arrow (reached only through
 * @azure/storage-blob's Apache Arrow listings). A source that starts using either would fail at run
 * time in Azure, so this fails first. Classic zod is not left out by the build, but its load costs
 * ~40 ms of CPU at every cold start (issue 17): product code takes `z` (Zod Mini, with English
 * messages configured) from libs/core/src/zod.ts, the one module that imports zod.
 */
const ZOD_HOME = path.join('libs', 'core', 'src', 'zod.ts');
const RULES: { pattern: RegExp; why: string; except?: string }[] = [
  { pattern: /\bz\.locales\b(?!\.en\b)|['"]zod\/(v4\/)?locales(?!\/en(\.js)?['"])/, why: 'zod locales other than English are left out of the bundles' },
  { pattern: /['"]zod(\/[^'"]*)?['"]/, why: `zod is imported by ${ZOD_HOME} alone: take \`z\` (Zod Mini) from @telemetry/core`, except: ZOD_HOME },
  { pattern: /ApacheArrow\b|['"]apache-arrow['"]/, why: 'apache-arrow is left out of the bundles (list blobs as XML)' },
];

function exclusionViolations(file: string, text: string): string[] {
  return RULES.filter((r) => r.except !== file && r.pattern.test(text)).map((r) => `${file}: ${r.why}`);
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
  it('no app or lib source uses zod locales, zod itself (but through libs/core) or the Apache Arrow blob listings', async () => {
    const problems: string[] = [];
    for (const top of ['apps', 'libs']) {
      for (const file of await sources(path.join(WORKSPACE_ROOT, top))) {
        problems.push(...exclusionViolations(path.relative(WORKSPACE_ROOT, file), await readFile(file, 'utf8')));
      }
    }
    expect(problems).toEqual([]);
  });

  it('bites on each use', () => {
    const violations = (text: string, file = 'a.ts') => exclusionViolations(file, text).map((v) => v.slice(file.length + 2));
    expect(violations('const fr = z.locales.fr();')).toEqual([RULES[0]!.why]);
    expect(violations('const all = Object.keys(z.locales);')).toEqual([RULES[0]!.why]);
    expect(violations("import { de } from 'zod/v4/locales';")).toEqual([RULES[0]!.why, RULES[1]!.why]);
    expect(violations("import en from 'zod/v4/locales/en.js';")).toEqual([RULES[1]!.why]);
    expect(violations("import { z } from 'zod';")).toEqual([RULES[1]!.why]);
    expect(violations("import * as z from 'zod/mini';")).toEqual([RULES[1]!.why]);
    expect(violations("import * as z from 'zod/mini';\nz.config(z.locales.en());", ZOD_HOME)).toEqual([]);
    expect(violations("import { z } from '@telemetry/core';\nconst s = z.optional(z.string());")).toEqual([]);
    expect(exclusionViolations('a.ts', 'await container.listBlobFlatSegmentApacheArrow(marker);')).toEqual(['a.ts: apache-arrow is left out of the bundles (list blobs as XML)']);
    expect(exclusionViolations('a.ts', "const arrow = await import('apache-arrow');")).toHaveLength(1);
    expect(exclusionViolations('a.ts', 'for await (const item of container.listBlobsFlat()) z.string();')).toEqual([]);
  });
});
