import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Which projects build, bundle or start which function apps, derived from the code, and whether
 * their project.json declares it (`implicitDependencies`), so `nx affected` marks a project's
 * tests when an app it runs changes (issue 17).
 */

/** This check's own fixtures name apps on purpose. */
const SELF = /^tools\/deploy-checks\/src\/app-runners(\.spec)?\.ts$/;

export interface ProjectInfo {
  name: string;
  root: string;
  tags: string[];
  implicitDependencies: string[];
}

export interface AppRun {
  project: string;
  file: string;
  app: string;
}

/** A call that bundles, builds or starts function apps (a stack's `apps: [...]` included). */
export const RUNS_APPS = /\bapps\s*[:=]\s*\[|\bbuildApps\(|bundle-app\.mjs|\bbundleFunctionApp\(|\bbuiltApp\(|\bbuildAppCopy\(|\bspawnApps\(|\bstartStack\(|\bstartLocalStack\(|\bstartMatrixStack\(/;

/** Function apps named in a file that runs apps: `'ingestion'` or `'apps/ingestion'` (any quote). */
export function appsNamedIn(text: string, functionApps: readonly string[]): string[] {
  if (!RUNS_APPS.test(text)) return [];
  return functionApps.filter((app) => new RegExp(`(['"\`])(apps/)?${app.replace(/[-]/g, '\\-')}\\1`).test(text));
}

/** Expands `implicitDependencies` as Nx does for names and `tag:` patterns (negations ignored). */
export function declaredDependencies(project: ProjectInfo, all: readonly ProjectInfo[]): Set<string> {
  const out = new Set<string>();
  for (const dep of project.implicitDependencies) {
    if (dep.startsWith('!')) continue;
    if (dep.startsWith('tag:')) for (const p of all) if (p.tags.includes(dep.slice(4))) out.add(p.name);
    if (!dep.startsWith('tag:')) out.add(dep);
  }
  out.delete(project.name);
  return out;
}

export function missingDeclarations(runs: readonly AppRun[], projects: readonly ProjectInfo[]): AppRun[] {
  const byName = new Map(projects.map((p) => [p.name, p]));
  return runs.filter((r) => r.app !== r.project && !declaredDependencies(byName.get(r.project)!, projects).has(r.app));
}

async function walk(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist' || e.name.startsWith('.')) continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await walk(dir, r)));
    else out.push(r);
  }
  return out;
}

export async function readProjects(root: string): Promise<ProjectInfo[]> {
  const out: ProjectInfo[] = [];
  for (const top of ['apps', 'libs', 'tools']) {
    for (const e of await readdir(path.join(root, top), { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const projectRoot = `${top}/${e.name}`;
      let json: { name?: string; tags?: string[]; implicitDependencies?: string[] };
      try {
        json = JSON.parse(await readFile(path.join(root, projectRoot, 'project.json'), 'utf8')) as typeof json;
      } catch {
        continue;
      }
      out.push({ name: json.name ?? e.name, root: projectRoot, tags: json.tags ?? [], implicitDependencies: json.implicitDependencies ?? [] });
    }
  }
  return out;
}

/** Function apps: the projects under apps/ that deploy as a function app (they have host.json). */
export async function functionApps(root: string, projects: readonly ProjectInfo[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of projects) {
    if (!p.root.startsWith('apps/')) continue;
    try {
      await readFile(path.join(root, p.root, 'host.json'));
      out.push(p.name);
    } catch {
      // not a function app (the dashboard)
    }
  }
  return out;
}

export async function appRuns(root: string, projects: readonly ProjectInfo[]): Promise<AppRun[]> {
  const apps = await functionApps(root, projects);
  const runs: AppRun[] = [];
  for (const p of projects) {
    for (const file of await walk(path.join(root, p.root))) {
      if (!/\.(ts|mts|cts|mjs|cjs|js)$/.test(file) || SELF.test(`${p.root}/${file}`)) continue;
      const text = await readFile(path.join(root, p.root, file), 'utf8');
      for (const app of appsNamedIn(text, apps)) runs.push({ project: p.name, file: `${p.root}/${file}`, app });
    }
  }
  return runs;
}
