import { build } from 'esbuild';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const WEB = path.join(__dirname, 'web');

/** The static site: file name -> contents. config.json is per deployment (see README). */
export type DashboardFiles = Map<string, Buffer>;

export interface DashboardConfigFile {
  /** Origin of the device-status function app ('' = same origin, e.g. behind a proxy). */
  apiBaseUrl: string;
  /** Sent as x-functions-key by the browser; leave unset when something else protects the API. */
  functionKey?: string;
  /** Poll interval, ms. */
  refreshMs?: number;
}

/** Bundles the browser app (esbuild, one ES2020 script, no runtime dependencies) with its page. */
export async function buildDashboardFiles(options: { minify?: boolean } = {}): Promise<DashboardFiles> {
  const result = await build({
    entryPoints: [path.join(WEB, 'main.ts')],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2020',
    minify: options.minify ?? true,
    sourcemap: false,
    write: false,
    legalComments: 'none',
    logLevel: 'error',
  });
  const script = result.outputFiles[0];
  if (!script) throw new Error('esbuild produced no output');
  return new Map([
    ['index.html', await readFile(path.join(WEB, 'index.html'))],
    ['styles.css', await readFile(path.join(WEB, 'styles.css'))],
    ['app.js', Buffer.from(script.contents)],
  ]);
}

export const configFile = (config: DashboardConfigFile): Buffer => Buffer.from(JSON.stringify(config, null, 2) + '\n');

/** Writes the static site to a folder (the `build` target: dist/apps/dashboard). */
export async function writeDashboard(outDir: string, config: DashboardConfigFile = { apiBaseUrl: '' }): Promise<void> {
  const files = await buildDashboardFiles();
  files.set('config.json', configFile(config));
  await mkdir(outDir, { recursive: true });
  await Promise.all([...files].map(([name, content]) => writeFile(path.join(outDir, name), content)));
}
