import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
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
  await Promise.all(
    apps.map((app) =>
      promisify(execFile)(process.execPath, [path.join(root, 'tools/build/bundle-app.mjs'), `apps/${app}`, ...(outDir ? [path.join(outDir, app)] : [])], { cwd: root }),
    ),
  );
}

export const builtAppDir = (app: string, root = WORKSPACE_ROOT): string => path.join(root, 'dist', 'apps', app);
