import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const WORKSPACE_ROOT = path.resolve(__dirname, '../../..');

export interface NxApp {
  name: string;
  root: string;
  /** apps/<app>/src/config.ts exists: a function app with a settings contract. */
  hasConfig: boolean;
}

/** The Nx projects of type app (`nx show projects --type app --json`), with their roots. */
export async function nxAppProjects(root = WORKSPACE_ROOT): Promise<NxApp[]> {
  const { stdout } = await run(process.execPath, [require.resolve('nx/bin/nx.js'), 'show', 'projects', '--type', 'app', '--json'], {
    cwd: root,
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  });
  const names = JSON.parse(stdout.slice(stdout.indexOf('['))) as string[];
  const roots = await projectRoots(root);
  return names.sort().map((name) => {
    const projectRoot = roots.get(name);
    if (!projectRoot) throw new Error(`Nx app ${name}: no project.json declares it`);
    return { name, root: projectRoot, hasConfig: existsSync(path.join(root, projectRoot, 'src', 'config.ts')) };
  });
}

/** project name -> root, from the project.json files under apps/, libs/ and tools/. */
async function projectRoots(root: string): Promise<Map<string, string>> {
  const roots = new Map<string, string>();
  for (const top of ['apps', 'libs', 'tools']) {
    const dir = path.join(root, top);
    if (!existsSync(dir)) continue;
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name, 'project.json');
      if (!entry.isDirectory() || !existsSync(file)) continue;
      const { name } = JSON.parse(await readFile(file, 'utf8')) as { name?: string };
      roots.set(name ?? entry.name, path.join(top, entry.name));
    }
  }
  return roots;
}

/** The app modules under infra/apps (`<app>.bicep`, named after the Nx project). */
export async function infraAppModules(root = WORKSPACE_ROOT): Promise<string[]> {
  const files = await readdir(path.join(root, 'infra', 'apps'));
  return files.filter((f) => f.endsWith('.bicep')).map((f) => f.slice(0, -'.bicep'.length)).sort();
}

/** Loads an app's src/config.ts (through the test runner's TypeScript transform). */
export async function loadConfigModule(app: NxApp, root = WORKSPACE_ROOT): Promise<Record<string, unknown>> {
  return (await import(path.join(root, app.root, 'src', 'config.ts'))) as Record<string, unknown>;
}
