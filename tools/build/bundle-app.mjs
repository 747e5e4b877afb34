// Bundles one function app into a deployable folder: dist/<projectRoot>/{main.js, chunk files, host.json, package.json},
// or into [outDir] when given (the local stack builds into its own run folder, so parallel runs and
// `nx build` never swap an app under a running host).
// Source maps never ship: the deploy folder's maps are build artefacts in dist/maps/<app>/*.js.map
// (the .js files carry no sourceMappingURL); a local build ([outDir]) keeps each .js.map linked next
// to its file, so breakpoints in the TypeScript sources work under the local host.
// Libs and npm dependencies are inlined so the folder deploys as is (zip deploy, no npm install);
// `@azure/functions-core` stays external because the Functions worker (or the local host) provides it.
import { build } from 'esbuild';
import { cp, copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';

const projectRoot = process.argv[2];
if (!projectRoot) throw new Error('usage: bundle-app.mjs <projectRoot> [outDir]');
const root = path.resolve(import.meta.dirname, '..', '..');
const src = path.join(root, projectRoot);
const local = Boolean(process.argv[3]);
const out = local ? path.resolve(process.argv[3]) : path.join(root, 'dist', projectRoot);
const name = path.basename(projectRoot);
const mapsDir = path.join(root, 'dist', 'maps', name);
const tsconfig = JSON.parse(await readFile(path.join(root, 'tsconfig.base.json'), 'utf8'));
const alias = Object.fromEntries(
  Object.entries(tsconfig.compilerOptions.paths).map(([k, [v]]) => [k, path.join(root, v)]),
);

/**
 * zod's `z.locales` namespace carries ~40 translations of its error messages (about 260 KB of
 * every bundle); the product uses none but English, which libs/core/src/zod.ts configures for
 * Zod Mini (`locales.en()`). So the namespace resolves to English alone.
 * tools/deploy-checks/src/bundle-exclusions.spec.ts fails if a source starts using another locale
 * (`z.locales.fr`, `zod/locales`).
 */

/**
 * Left out of every bundle: what no product code path reaches, but would cost package size and
 * parse time at every cold start. `apache-arrow` (~250 KB minified) is reached only through
 * @azure/storage-blob's `list...ApacheArrow` listings, by a dynamic import; the product lists blobs
 * as XML. bundle-exclusions.spec.ts fails if a source starts using those listings.
 */
const LEFT_OUT = ['apache-arrow'];
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /locales[/\\]index\.js$/ }, (args) =>
      /[/\\]zod[/\\]/.test(args.importer) ? { path: 'zod-locales-en', namespace: 'zod-english-only', pluginData: path.resolve(args.resolveDir, path.dirname(args.path)) } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({
      contents: 'export { default as en } from "./en.js";',
      resolveDir: args.pluginData,
      loader: 'js',
    }));
  },
};

/**
 * The product's libs (`libs/*`, reached through the `@telemetry/*` paths) have no import-time side
 * effects: a module a barrel re-exports but the app never uses is left out, with the zod schemas it
 * would build at load. (Apps do: `main.ts` imports its function files for their registrations.)
 * One lib module does: libs/core/src/zod.ts gives zod its English messages when loaded, and schema
 * modules reach it only through re-exports, which esbuild would otherwise skip.
 */
const libsRoot = path.join(root, 'libs') + path.sep;
const libsWithSideEffects = new Set([path.join(root, 'libs', 'core', 'src', 'zod.ts')]);
const libsWithoutSideEffects = {
  name: 'libs-without-side-effects',
  setup(b) {
    b.onResolve({ filter: /^(@telemetry\/|\.)/ }, async (args) => {
      if (args.pluginData === 'libs-without-side-effects') return undefined;
      if (!args.path.startsWith('@telemetry/') && !args.importer.startsWith(libsRoot)) return undefined;
      const r = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: 'libs-without-side-effects' });
      return !r.errors.length && r.path.startsWith(libsRoot) ? { path: r.path, sideEffects: libsWithSideEffects.has(r.path) } : undefined;
    });
  },
};

/*
 * Two passes, so what an app loads on first use (an `import()` in its code: the dead-letter path,
 * the metrics exporter) stays out of the cold start, in its own file:
 * 1. esbuild bundles as ESM with code splitting (it splits only ESM): main.js, a chunk per
 *    `import()`, and shared chunks, each module once;
 * 2. each file is turned into CommonJS (imports become `require`, `import()` a deferred
 *    `require`), which Node loads faster than ESM, synchronously, as the Functions worker and the
 *    local host require main.js. Source maps chain through both passes.
 */
/*
 * Local builds ([outDir]: a stack's, a test's) reuse an identical earlier bundle: every test that
 * runs a stack bundles its apps, and a CI bundled the same few apps from the same sources dozens of
 * times (about 5 CPU-s each). The cache is content-addressed (see bundleKey), so a hit is the same
 * bytes this run would write. BUNDLE_CACHE_DIR moves it (default: <tmp>/telemetry-bundle-cache);
 * BUNDLE_CACHE=off turns it off. Deploy builds (dist/) never use it.
 */
const cacheDir = process.env.BUNDLE_CACHE === 'off' ? undefined : path.resolve(process.env.BUNDLE_CACHE_DIR ?? path.join(tmpdir(), 'telemetry-bundle-cache'));
const fromCache = local && cacheDir ? await bundleThroughCache(cacheDir) : (await bundle(), false);
console.log(`bundled ${projectRoot} -> ${path.relative(root, out)}${fromCache ? ' (from the bundle cache)' : ''}`);

/**
 * The key covers every input the bundler can read: the app's folder, every lib, this script, the
 * path aliases and the lockfile (the npm dependencies), and where the output sits relative to the
 * sources (a local build's linked source maps name the TypeScript sources by relative path).
 */
async function bundleKey() {
  const hash = createHash('sha256');
  hash.update(`${name}\0${path.relative(out, root)}\0`);
  const files = [];
  const walk = async (dir) => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name === 'dist' || e.name === '.nx') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) files.push(p);
    }
  };
  await walk(src);
  await walk(path.join(root, 'libs'));
  files.push(import.meta.filename, path.join(root, 'tsconfig.base.json'), path.join(root, 'package-lock.json'));
  for (const f of files.sort()) {
    hash.update(`${path.relative(root, f)}\0`);
    hash.update(existsSync(f) ? await readFile(f) : '<absent>');
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 32);
}

/**
 * One process bundles a key while others wanting it wait (a lock folder holding the builder's pid;
 * a dead builder's lock is taken over), then everyone copies the finished entry, which appears by
 * an atomic rename.
 */
async function bundleThroughCache(dir) {
  await mkdir(dir, { recursive: true });
  const entry = path.join(dir, await bundleKey());
  const lock = `${entry}.lock`;
  const deadline = Date.now() + 600_000;
  for (;;) {
    if (existsSync(entry)) {
      await rm(out, { recursive: true, force: true });
      await cp(entry, out, { recursive: true });
      return true;
    }
    let owner = false;
    try {
      await mkdir(lock);
      owner = true;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    if (owner) {
      try {
        await writeFile(path.join(lock, 'pid'), String(process.pid));
        // The builder before us may have finished between our look and our lock.
        if (existsSync(entry)) continue;
        await bundle();
        const staging = `${entry}.${process.pid}.tmp`;
        await rm(staging, { recursive: true, force: true });
        await cp(out, staging, { recursive: true });
        await rename(staging, entry).catch(() => rm(staging, { recursive: true, force: true }));
      } finally {
        await rm(lock, { recursive: true, force: true });
      }
      await pruneCache(dir);
      return false;
    }
    if (Date.now() > deadline || lockHolderGone(lock)) await rm(lock, { recursive: true, force: true });
    await new Promise((r) => setTimeout(r, 100));
  }
}

function lockHolderGone(lock) {
  let pid;
  try {
    pid = Number(readFileSync(path.join(lock, 'pid'), 'utf8'));
  } catch {
    return false; // just created: the pid file follows
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return e.code === 'ESRCH';
  }
}

/** Entries unused for a day go (a cache hit refreshes nothing, so this is by age of the entry). */
async function pruneCache(dir) {
  const dayAgo = Date.now() - 86_400_000;
  for (const e of await readdir(dir)) {
    const p = path.join(dir, e);
    const s = await stat(p).catch(() => undefined);
    if (s && s.mtimeMs < dayAgo) await rm(p, { recursive: true, force: true });
  }
}

async function bundle() {
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const stage = await mkdtemp(path.join(tmpdir(), `bundle-${name}-`));
  let result;
  try {
    result = await build({
      entryPoints: { main: path.join(src, 'src', 'main.ts') },
      outdir: stage,
      bundle: true,
      splitting: true,
      platform: 'node',
      target: 'node22',
      format: 'esm',
      sourcemap: 'linked',
      // Minified (the deploy folder must stay under 2.5 MB and load fast); names in stack traces map
      // back through dist/maps/<app>/*.js.map. ESM builds first ("module"), which tree-shake.
      minify: true,
      mainFields: ['module', 'main'],
      plugins: [zodEnglishOnly, libsWithoutSideEffects],
      legalComments: 'none',
      external: ['@azure/functions-core', ...LEFT_OUT],
      alias,
      logLevel: 'warning',
      // What each input contributes (bytes in the output), kept beside the map in dist/maps/<app>/meta.json
      // (esbuild's analyzeMetafile or https://esbuild.github.io/analyze/ explain it).
      metafile: true,
    });
    const files = (await readdir(stage)).filter((f) => f.endsWith('.js'));
    await build({
      entryPoints: files.map((f) => path.join(stage, f)),
      outdir: out,
      bundle: false,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      sourcemap: local ? 'linked' : 'external',
      minify: true,
      legalComments: 'none',
      // Some dependencies are ESM that read import.meta.url; give each CommonJS file a real one.
      define: { 'import.meta.url': '__bundleImportMetaUrl' },
      banner: { js: "const __bundleImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
      logLevel: 'warning',
    });
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
  if (!local) {
    await rm(mapsDir, { recursive: true, force: true });
    await mkdir(mapsDir, { recursive: true });
    for (const f of (await readdir(out)).filter((f) => f.endsWith('.js.map'))) await rename(path.join(out, f), path.join(mapsDir, f));
    await writeFile(path.join(mapsDir, 'meta.json'), JSON.stringify(result.metafile));
  }
  await copyFile(path.join(src, 'host.json'), path.join(out, 'host.json'));
  if (existsSync(path.join(src, 'local.settings.example.json'))) {
    await copyFile(path.join(src, 'local.settings.example.json'), path.join(out, 'local.settings.example.json'));
  }
  const rootPkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
  await writeFile(
    path.join(out, 'package.json'),
    JSON.stringify(
      { name, version: rootPkg.version, private: true, main: 'main.js', engines: { node: '>=22 <23' } },
      null,
      2,
    ) + '\n',
  );
}
