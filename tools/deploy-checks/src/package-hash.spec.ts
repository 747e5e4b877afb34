import { execFile } from 'node:child_process';
import { appendFile, cp, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { WORKSPACE_ROOT } from './workspace';

const run = promisify(execFile);
const APPS = ['ingestion', 'device-status'];

/**
 * An app deploys when its package hash (tools/build/package-hash.mjs) changes. Built in a copy of
 * the workspace (apps, libs, tools/build, tsconfig; node_modules linked), so the edits below never
 * touch the shared tree: a README or spec edit changes no hash; a code edit changes its app's only.
 */
describe('package hash (what decides a deploy)', () => {
  let ws: string;
  beforeAll(async () => {
    ws = await mkdtemp(path.join(tmpdir(), 'package-hash-'));
    const skip = (src: string): boolean => !/[/\\](node_modules|dist|\.nx)([/\\]|$)/.test(src);
    for (const dir of ['apps', 'libs', 'tools/build']) await cp(path.join(WORKSPACE_ROOT, dir), path.join(ws, dir), { recursive: true, filter: skip });
    for (const file of ['tsconfig.base.json', 'package.json', 'README.md']) await cp(path.join(WORKSPACE_ROOT, file), path.join(ws, file));
    await symlink(path.join(WORKSPACE_ROOT, 'node_modules'), path.join(ws, 'node_modules'), 'dir');
  }, 120_000);
  afterAll(async () => {
    await rm(ws, { recursive: true, force: true });
  });

  async function buildAndHash(round: string): Promise<Record<string, string>> {
    const dirs = APPS.map((app) => path.join(ws, 'out', round, app));
    // Uncached (BUNDLE_CACHE=off): each round is a real build, so equal hashes mean equal builds.
    const env = { ...process.env, BUNDLE_CACHE: 'off' };
    for (const app of APPS) await run(process.execPath, [path.join(ws, 'tools/build/bundle-app.mjs'), `apps/${app}`, path.join(ws, 'out', round, app)], { cwd: ws, env, timeout: 300_000 });
    const { stdout } = await run(process.execPath, [path.join(ws, 'tools/build/package-hash.mjs'), '--json', ...dirs], { cwd: ws, timeout: 120_000 });
    return JSON.parse(stdout) as Record<string, string>;
  }

  it('a README or spec edit leaves every hash unchanged; a code edit changes only its app', async () => {
    const before = await buildAndHash('before');
    expect(Object.keys(before).sort()).toEqual([...APPS].sort());
    // The local build links its source map (main.js.map beside main.js); the hash ignores both.
    expect(await readdir(path.join(ws, 'out', 'before', 'ingestion'))).toContain('main.js.map');

    await appendFile(path.join(ws, 'README.md'), '\nA README edit.\n');
    await appendFile(path.join(ws, 'apps/ingestion/README.md'), '\nA README edit.\n');
    const spec = (await readdir(path.join(ws, 'apps/ingestion/src'))).find((f) => f.endsWith('.spec.ts'))!;
    await appendFile(path.join(ws, 'apps/ingestion/src', spec), '\n// a spec edit\n');
    expect(await buildAndHash('docs')).toEqual(before);

    await appendFile(path.join(ws, 'apps/ingestion/src/main.ts'), "\nexport const packageHashProbe = 'a code change';\n");
    const after = await buildAndHash('code');
    expect(after['ingestion']).not.toBe(before['ingestion']);
    expect(after['device-status']).toBe(before['device-status']);

    const previous = path.join(ws, 'previous.json');
    await appendFile(previous, JSON.stringify(before));
    const { stdout } = await run(process.execPath, [path.join(ws, 'tools/build/package-hash.mjs'), '--changed', previous, '--json', ...APPS.map((a) => path.join(ws, 'out', 'code', a))], { cwd: ws });
    expect(JSON.parse(stdout)).toEqual(['ingestion']);
  }, 900_000);
});
