import { execFile } from 'node:child_process';
import { appendFile, cp, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { WORKSPACE_ROOT } from './workspace';

const run = promisify(execFile);

/**
 * tools/build/bundle-app.mjs reuses an identical earlier local bundle (content-addressed cache). In a
 * copy of the workspace (node_modules linked): a second bundle of unchanged sources comes from the
 * cache with the same bytes; an edit to the app or to any lib is a fresh build; concurrent bundles
 * of one key all finish, with one entry.
 */
describe('bundle cache (local builds)', () => {
  let ws: string;
  let cache: string;
  beforeAll(async () => {
    ws = await mkdtemp(path.join(tmpdir(), 'bundle-cache-'));
    cache = path.join(ws, 'cache');
    const skip = (src: string): boolean => !/[/\\](node_modules|dist|\.nx)([/\\]|$)/.test(src);
    for (const dir of ['apps/device-status', 'libs', 'tools/build']) await cp(path.join(WORKSPACE_ROOT, dir), path.join(ws, dir), { recursive: true, filter: skip });
    for (const file of ['tsconfig.base.json', 'package.json', 'package-lock.json']) await cp(path.join(WORKSPACE_ROOT, file), path.join(ws, file));
    await symlink(path.join(WORKSPACE_ROOT, 'node_modules'), path.join(ws, 'node_modules'), 'dir');
  }, 120_000);
  afterAll(async () => {
    await rm(ws, { recursive: true, force: true });
  });

  const bundle = async (round: string): Promise<{ cached: boolean; main: string }> => {
    const out = path.join(ws, 'out', round, 'device-status');
    const { stdout } = await run(process.execPath, [path.join(ws, 'tools/build/bundle-app.mjs'), 'apps/device-status', out], {
      cwd: ws,
      env: { ...process.env, BUNDLE_CACHE: '', BUNDLE_CACHE_DIR: cache },
      timeout: 300_000,
    });
    return { cached: stdout.includes('(from the bundle cache)'), main: await readFile(path.join(out, 'main.js'), 'utf8') };
  };
  const entries = async (): Promise<string[]> => (await readdir(cache)).filter((e) => !e.endsWith('.lock') && !e.endsWith('.tmp'));

  it('hits on unchanged sources, misses on an app or lib edit, and survives concurrent bundles', async () => {
    const [a, b] = await Promise.all([bundle('a'), bundle('b')]);
    expect([a.cached, b.cached].sort()).toEqual([false, true]);
    expect(b.main).toBe(a.main);
    expect(await entries()).toHaveLength(1);

    const again = await bundle('again');
    expect(again).toEqual({ cached: true, main: a.main });

    await appendFile(path.join(ws, 'apps/device-status/src/main.ts'), "\nexport const bundleCacheProbe = 'an app edit';\n");
    const appEdit = await bundle('app-edit');
    expect(appEdit.cached).toBe(false);
    expect(appEdit.main).not.toBe(a.main);

    const lib = (await readdir(path.join(ws, 'libs'))).sort()[0]!;
    await appendFile(path.join(ws, 'libs', lib, 'README.md'), '\nA lib edit.\n');
    expect((await bundle('lib-edit')).cached).toBe(false);
    expect(await entries()).toHaveLength(3);
  }, 600_000);
});
