import { execFile } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export const WORKSPACE_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Function apps in the workspace: folders under apps/ with a host.json. */
export function discoverFunctionApps(root = WORKSPACE_ROOT): string[] {
  const appsDir = path.join(root, 'apps');
  return readdirSync(appsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(appsDir, d.name, 'host.json')))
    .map((d) => d.name)
    .sort();
}

/**
 * Bundles apps with the same script the `build` target runs: into `<outDir>/<app>` when given
 * (a stack's own folder: concurrent runs and `nx build` cannot swap an app under a running host),
 * else dist/apps/<app>.
 */
export async function buildApps(apps: string[], outDir?: string, root = WORKSPACE_ROOT): Promise<void> {
  // Settled, not all: when one bundle fails, the others' bundler processes are still waited for.
  const results = await Promise.allSettled(
    apps.map((app) =>
      promisify(execFile)(process.execPath, [path.join(root, 'tools/build/bundle-app.mjs'), `apps/${app}`, ...(outDir ? [path.join(outDir, app)] : [])], { cwd: root }),
    ),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

export const builtAppDir = (app: string, root = WORKSPACE_ROOT): string => path.join(root, 'dist', 'apps', app);

export interface StackAppsOptions {
  apps: string[];
  /** The stack's data folder: apps with host.json changes run from a patched copy under it. */
  dataDir: string;
  /** Bundle the apps (default true); false reuses this process's last bundle, else dist/apps. */
  build?: boolean;
  /** host.json changes per app, merged into `extensions`. */
  hostJsonExtensions?: Record<string, Record<string, Record<string, unknown>>>;
}

/**
 * Step 3 of a stack: each app bundled as it deploys, into this process's own folder (parallel test
 * processes and `nx build` never rewrite an app under a running host), host.json patched where
 * asked. Returns the folder each app runs from.
 */
export async function buildStackApps(options: StackAppsOptions): Promise<Map<string, string>> {
  if (options.build !== false) await buildApps(options.apps, stackBuildDir());
  const dirs = new Map<string, string>();
  for (const app of options.apps) {
    const own = path.join(stackBuildDir(), app);
    const built = options.build === false && !existsSync(own) ? builtAppDir(app) : own;
    dirs.set(app, await patchHostJson(built, path.join(options.dataDir, 'apps', app), options.hostJsonExtensions?.[app]));
  }
  return dirs;
}

let buildDir: string | undefined;

/** Where this process bundles apps: its own folder, removed when the process exits. */
export function stackBuildDir(): string {
  if (!buildDir) {
    const dir = path.join(tmpdir(), `telemetry-stack-apps-${process.pid}`);
    buildDir = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return buildDir;
}

/** Applies host.json changes in the stack's own copy of a built app (copied there from dist/ if needed). */
async function patchHostJson(built: string, dir: string, extensions?: Record<string, Record<string, unknown>>): Promise<string> {
  if (!extensions) return built;
  if (dir !== built) await cp(built, dir, { recursive: true });
  const hostJson = JSON.parse(await readFile(path.join(dir, 'host.json'), 'utf8')) as { extensions?: Record<string, Record<string, unknown>> };
  hostJson.extensions ??= {};
  for (const [name, values] of Object.entries(extensions)) hostJson.extensions[name] = { ...hostJson.extensions[name], ...values };
  await writeFile(path.join(dir, 'host.json'), JSON.stringify(hostJson, null, 2));
  return dir;
}
