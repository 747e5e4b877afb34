// Bundles one function app into a deployable folder: dist/<projectRoot>/{main.js, chunk files, host.json, package.json},
// or into [outDir] when given (the local stack builds into its own run folder, so parallel runs and
// `nx build` never swap an app under a running host).
// Source maps never ship: the deploy folder's maps are build artefacts in dist/maps/<app>/*.js.map
// (the .js files carry no sourceMappingURL); a local build ([outDir]) keeps each .js.map linked next
// to its file, so breakpoints in the TypeScript sources work under the local host.
// Libs and npm dependencies are inlined so the folder deploys as is (zip deploy, no npm install);
// `@azure/functions-core` stays external because the Functions worker (or the local host) provides it.
import { build } from 'esbuild';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { existsSync } from 'node:fs';
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
 * every bundle); the product uses none but English, which zod wires in itself (classic/schemas.js
 * imports locales/en.js directly). So the namespace resolves to English alone.
 * tools/deploy-checks/src/bundle-exclusions.spec.ts fails if a source starts using `z.locales` or
 * `zod/locales`.
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
 */
const libsRoot = path.join(root, 'libs') + path.sep;
const libsWithoutSideEffects = {
  name: 'libs-without-side-effects',
  setup(b) {
    b.onResolve({ filter: /^(@telemetry\/|\.)/ }, async (args) => {
      if (args.pluginData === 'libs-without-side-effects') return undefined;
      if (!args.path.startsWith('@telemetry/') && !args.importer.startsWith(libsRoot)) return undefined;
      const r = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: 'libs-without-side-effects' });
      return !r.errors.length && r.path.startsWith(libsRoot) ? { path: r.path, sideEffects: false } : undefined;
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
console.log(`bundled ${projectRoot} -> ${path.relative(root, out)}`);
