import { build } from 'esbuild';
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../../..');

/**
 * Bundles a function app like tools/build/bundle-app.mjs (same esbuild options), into a fresh
 * temp folder: tests get the deployable shape without racing the workspace build over dist/.
 */
export async function bundleFunctionApp(projectRoot: string): Promise<string> {
  const out = await mkdtemp(path.join(tmpdir(), `${path.basename(projectRoot)}-bundle-`));
  const tsconfig = JSON.parse(await readFile(path.join(ROOT, 'tsconfig.base.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } };
  const alias = Object.fromEntries(Object.entries(tsconfig.compilerOptions.paths).map(([k, [v]]) => [k, path.join(ROOT, v!)]));
  await build({
    entryPoints: [path.join(ROOT, projectRoot, 'src', 'main.ts')],
    outfile: path.join(out, 'main.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['@azure/functions-core'],
    define: { 'import.meta.url': '__bundleImportMetaUrl' },
    banner: { js: "const __bundleImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    alias,
    logLevel: 'error',
  });
  await copyFile(path.join(ROOT, projectRoot, 'host.json'), path.join(out, 'host.json'));
  await writeFile(path.join(out, 'package.json'), JSON.stringify({ name: path.basename(projectRoot), private: true, main: 'main.js' }));
  return out;
}
