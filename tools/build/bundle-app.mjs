// Bundles one function app into a deployable folder: dist/<projectRoot>/{main.js, host.json, package.json},
// or into [outDir] when given (the local stack builds into its own run folder, so parallel runs and
// `nx build` never swap an app under a running host).
// Libs and npm dependencies are inlined so the folder deploys as is (zip deploy, no npm install);
// `@azure/functions-core` stays external because the Functions worker (or the local host) provides it.
import { build } from 'esbuild';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';

const projectRoot = process.argv[2];
if (!projectRoot) throw new Error('usage: bundle-app.mjs <projectRoot> [outDir]');
const root = path.resolve(import.meta.dirname, '..', '..');
const src = path.join(root, projectRoot);
const out = process.argv[3] ? path.resolve(process.argv[3]) : path.join(root, 'dist', projectRoot);
const tsconfig = JSON.parse(await readFile(path.join(root, 'tsconfig.base.json'), 'utf8'));
const alias = Object.fromEntries(
  Object.entries(tsconfig.compilerOptions.paths).map(([k, [v]]) => [k, path.join(root, v)]),
);

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await build({
  entryPoints: [path.join(src, 'src', 'main.ts')],
  outfile: path.join(out, 'main.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  minify: false,
  legalComments: 'none',
  external: ['@azure/functions-core'],
  // Some dependencies are ESM that read import.meta.url; give the CJS bundle a real one.
  define: { 'import.meta.url': '__bundleImportMetaUrl' },
  banner: { js: "const __bundleImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  alias,
  logLevel: 'warning',
});
await copyFile(path.join(src, 'host.json'), path.join(out, 'host.json'));
if (existsSync(path.join(src, 'local.settings.example.json'))) {
  await copyFile(path.join(src, 'local.settings.example.json'), path.join(out, 'local.settings.example.json'));
}
const rootPkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
const name = path.basename(projectRoot);
await writeFile(
  path.join(out, 'package.json'),
  JSON.stringify(
    { name, version: rootPkg.version, private: true, main: 'main.js', engines: { node: '>=20' } },
    null,
    2,
  ) + '\n',
);
console.log(`bundled ${projectRoot} -> ${path.relative(root, out)}`);
