import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { WORKSPACE_ROOT } from './workspace';

const run = promisify(execFile);

/** Issue 17: each function app's deploy folder, unzipped and without source maps, is at most 2.5 MB (decimal, as the bench prints it). */
export const PACKAGE_LIMIT_BYTES = 2_500_000;

/** Bytes of a deploy folder as it ships: every file but source maps (they never deploy). */
export async function deployBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await deployBytes(p);
    else if (!entry.name.endsWith('.map')) total += (await stat(p)).size;
  }
  return total;
}

/** Function apps are the apps with a host.json (the dashboard is a static site). */
async function functionApps(): Promise<string[]> {
  const apps = await readdir(path.join(WORKSPACE_ROOT, 'apps'));
  return apps.filter((a) => existsSync(path.join(WORKSPACE_ROOT, 'apps', a, 'host.json'))).sort();
}

describe('function app packages stay lean', () => {
  let out: string;
  beforeAll(async () => {
    out = await mkdtemp(path.join(tmpdir(), 'package-size-'));
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it(`every function app's deploy folder is at most ${PACKAGE_LIMIT_BYTES / 1e6} MB without maps`, async () => {
    const apps = await functionApps();
    expect(apps).toEqual(expect.arrayContaining(['circuit-breaker', 'ingestion']));
    const over: string[] = [];
    for (const app of apps) {
      // The same script the deploy uses, into a folder of our own (never the shared dist/).
      const dir = path.join(out, app);
      await run(process.execPath, [path.join(WORKSPACE_ROOT, 'tools/build/bundle-app.mjs'), `apps/${app}`, dir], { cwd: WORKSPACE_ROOT, timeout: 300_000 });
      const bytes = await deployBytes(dir);
      if (bytes > PACKAGE_LIMIT_BYTES) {
        over.push(`${app}: ${bytes} bytes > ${PACKAGE_LIMIT_BYTES} (what is in it: node tools/build/bundle-app.mjs apps/${app} writes dist/maps/${app}/meta.json, which esbuild's analyzeMetafile explains)`);
      }
    }
    expect(over).toEqual([]);
  }, 600_000);

  it('counts what deploys and nothing else', async () => {
    const dir = path.join(out, 'counting');
    await mkdir(path.join(dir, 'sub'), { recursive: true });
    await writeFile(path.join(dir, 'main.js'), 'x'.repeat(1000));
    await writeFile(path.join(dir, 'main.js.map'), 'x'.repeat(5000));
    await writeFile(path.join(dir, 'sub', 'host.json'), 'x'.repeat(24));
    expect(await deployBytes(dir)).toBe(1024);
  });
});
