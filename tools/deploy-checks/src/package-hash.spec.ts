import { execFile } from 'node:child_process';
import { appendFile, cp, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { WORKSPACE_ROOT } from './workspace';

const run = promisify(execFile);
const APPS = ['ingestion', 'device-status'];

/**
 * An app deploys when its package hash (tools/build/package-hash.mjs) changes. Built in a copy of
 * the workspace (apps, libs, tools/build, tsconfig, lockfile; node_modules linked), so the edits
 * below never touch the shared tree: a README or spec edit changes no hash; a code edit changes its
 * app's only.
 *
 * The same rounds check the local bundle cache (tools/build/bundle-app.mjs, a fresh cache folder
 * here): a bundle whose inputs changed is built again (a miss), one whose inputs did not comes from
 * the cache with the same bytes (a hit), and two bundles of one key at once build it once.
 */
describe('package hash (what decides a deploy) and the local bundle cache', () => {
  let ws: string;
  beforeAll(async () => {
    ws = await mkdtemp(path.join(tmpdir(), 'package-hash-'));
    const skip = (src: string): boolean => !/[/\\](node_modules|dist|\.nx)([/\\]|$)/.test(src);
    for (const dir of ['apps', 'libs', 'tools/build']) await cp(path.join(WORKSPACE_ROOT, dir), path.join(ws, dir), { recursive: true, filter: skip });
    for (const file of ['tsconfig.base.json', 'package.json', 'package-lock.json', 'README.md']) await cp(path.join(WORKSPACE_ROOT, file), path.join(ws, file));
    await symlink(path.join(WORKSPACE_ROOT, 'node_modules'), path.join(ws, 'node_modules'), 'dir');
  }, 120_000);
  afterAll(async () => {
    await rm(ws, { recursive: true, force: true });
  });

  const env = (): NodeJS.ProcessEnv => ({ ...process.env, BUNDLE_CACHE: '', BUNDLE_CACHE_DIR: path.join(ws, 'bundle-cache') });
  /** Bundles an app into out/<round>/<app>; whether it came from the cache. */
  async function bundle(app: string, round: string): Promise<boolean> {
    const { stdout } = await run(process.execPath, [path.join(ws, 'tools/build/bundle-app.mjs'), `apps/${app}`, path.join(ws, 'out', round, app)], { cwd: ws, env: env(), timeout: 300_000 });
    return stdout.includes('(from the bundle cache)');
  }
  async function hashes(round: string): Promise<Record<string, string>> {
    const { stdout } = await run(process.execPath, [path.join(ws, 'tools/build/package-hash.mjs'), '--json', ...APPS.map((app) => path.join(ws, 'out', round, app))], { cwd: ws, timeout: 120_000 });
    return JSON.parse(stdout) as Record<string, string>;
  }
  const cached = async (round: string): Promise<Record<string, boolean>> => {
    const out: Record<string, boolean> = {};
    for (const app of APPS) out[app] = await bundle(app, round);
    return out;
  };

  it('a README or spec edit leaves every hash unchanged; a code edit changes only its app; the cache rebuilds exactly what changed', async () => {
    // Two bundles of one key at once: one builds, the other waits and copies (same bytes).
    const [first, twin] = await Promise.all([bundle('ingestion', 'before'), bundle('ingestion', 'twin')]);
    expect([first, twin].sort()).toEqual([false, true]);
    expect(await readFile(path.join(ws, 'out/twin/ingestion/main.js'), 'utf8')).toBe(await readFile(path.join(ws, 'out/before/ingestion/main.js'), 'utf8'));
    expect(await bundle('device-status', 'before')).toBe(false);
    const before = await hashes('before');
    expect(Object.keys(before).sort()).toEqual([...APPS].sort());
    // The local build links its source map (main.js.map beside main.js); the hash ignores both.
    expect(await readdir(path.join(ws, 'out', 'before', 'ingestion'))).toContain('main.js.map');

    // Docs and specs: ingestion's inputs changed (a real build, same package); device-status's did not (a hit).
    await appendFile(path.join(ws, 'README.md'), '\nA README edit.\n');
    await appendFile(path.join(ws, 'apps/ingestion/README.md'), '\nA README edit.\n');
    const spec = (await readdir(path.join(ws, 'apps/ingestion/src'))).find((f) => f.endsWith('.spec.ts'))!;
    await appendFile(path.join(ws, 'apps/ingestion/src', spec), '\n// a spec edit\n');
    expect(await cached('docs')).toEqual({ ingestion: false, 'device-status': true });
    expect(await hashes('docs')).toEqual(before);

    // Code in ingestion, and a lib's README (every app's key covers every lib): both built again.
    await appendFile(path.join(ws, 'apps/ingestion/src/main.ts'), "\nexport const packageHashProbe = 'a code change';\n");
    const lib = (await readdir(path.join(ws, 'libs'))).sort()[0]!;
    await appendFile(path.join(ws, 'libs', lib, 'README.md'), '\nA lib edit.\n');
    expect(await cached('code')).toEqual({ ingestion: false, 'device-status': false });
    const after = await hashes('code');
    expect(after['ingestion']).not.toBe(before['ingestion']);
    expect(after['device-status']).toBe(before['device-status']);

    const previous = path.join(ws, 'previous.json');
    await appendFile(previous, JSON.stringify(before));
    const { stdout } = await run(process.execPath, [path.join(ws, 'tools/build/package-hash.mjs'), '--changed', previous, '--json', ...APPS.map((a) => path.join(ws, 'out', 'code', a))], { cwd: ws });
    expect(JSON.parse(stdout)).toEqual(['ingestion']);
  }, 900_000);
});
