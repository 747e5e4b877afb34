import { build } from 'esbuild';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnHost, type SpawnedHost } from './index';
import { fixture } from './testing/records';

// A built app folder as tools/build/bundle-app.mjs makes it: main.js (with @azure/functions
// bundled, @azure/functions-core external) + host.json + package.json whose main is the entry.
describe('built app folder (esbuild bundle, package.json main)', () => {
  let host: SpawnedHost;

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'local-host-built-'));
    await build({
      entryPoints: [fixture('http-app/main.ts')],
      outfile: path.join(dir, 'main.js'),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['@azure/functions-core'],
      logLevel: 'warning',
    });
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'built', main: 'main.js' }));
    writeFileSync(path.join(dir, 'host.json'), JSON.stringify({ version: '2.0', extensions: { http: { routePrefix: '' } } }));
    // The fixture registers a Durable trigger: the built-in Durable extension needs a task hub store.
    host = await spawnHost({ app: dir, settings: { LOCAL_DURABLE_STORE_DIR: path.join(dir, 'durable') } });
  });
  afterAll(async () => host?.stop());

  it('loads the bundle, captures its registrations and honours an empty route prefix', async () => {
    expect(host.functions.map((f) => f.name)).toContain('hello');
    const response = await fetch(`${host.baseUrl}/hello/ann`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ name: 'ann', isHttpRequest: true });
    expect((await fetch(`${host.baseUrl}/api/hello/ann`)).status).toBe(404);
  });
});

// Microsoft's TypeScript template: tsc output in dist/src/functions, package.json
// `"main": "dist/src/functions/*.js"`, @azure/functions from the app's node_modules. The Node
// worker loads every file the glob matches (azure-functions-nodejs-worker src/startApp.ts).
describe('package.json main glob (tsc-style output, one file per function)', () => {
  let host: SpawnedHost;

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'local-host-glob-'));
    await build({
      entryPoints: [fixture('glob-app/functions/first.ts'), fixture('glob-app/functions/second.ts'), fixture('glob-app/not-an-entry.ts')],
      outdir: path.join(dir, 'dist', 'src'),
      outbase: fixture('glob-app'),
      bundle: false,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      logLevel: 'warning',
    });
    symlinkSync(path.resolve(__dirname, '..', '..', '..', 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'glob-app', main: 'dist/src/functions/*.js' }));
    writeFileSync(path.join(dir, 'host.json'), JSON.stringify({ version: '2.0' }));
    host = await spawnHost({ app: dir });
  });
  afterAll(async () => host?.stop());

  it('loads every file the glob matches and nothing else', async () => {
    expect(host.functions.map((f) => f.name).sort()).toEqual(['first', 'second']);
    expect(await (await fetch(`${host.baseUrl}/api/first`)).json()).toEqual({ from: 'first' });
    expect(await (await fetch(`${host.baseUrl}/api/second`)).json()).toEqual({ from: 'second' });
  });
});
