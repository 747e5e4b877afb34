import { appRuns, appsNamedIn, declaredDependencies, missingDeclarations, readProjects, type ProjectInfo } from './app-runners';
import { WORKSPACE_ROOT } from './workspace';

const APPS = ['ingestion', 'circuit-breaker', 'device-status'];
const project = (name: string, implicitDependencies: string[] = [], tags: string[] = []): ProjectInfo => ({ name, root: `apps/${name}`, tags, implicitDependencies });

describe('projects that build, bundle or start function apps declare them (nx affected marks their tests)', () => {
  it('every app a project runs is declared in its implicitDependencies (by name or tag)', async () => {
    const projects = await readProjects(WORKSPACE_ROOT);
    const runs = await appRuns(WORKSPACE_ROOT, projects);
    // The derivation sees the known e2e runners (guards against a scanner that finds nothing).
    const runners = new Set(runs.map((r) => r.project));
    for (const p of ['circuit-breaker', 'dashboard', 'dead-letter-reprocessor', 'local-stack', 'fault-matrix']) expect(runners).toContain(p);
    expect(missingDeclarations(runs, projects).map((r) => `${r.file} runs ${r.app}: add "${r.app}" to ${r.project}'s implicitDependencies`)).toEqual([]);
  });

  it('names the apps of a stack, a bundle or a build call; ignores files that run nothing', () => {
    expect(appsNamedIn("await startStack({ apps: ['ingestion', 'circuit-breaker'] })", APPS)).toEqual(['ingestion', 'circuit-breaker']);
    expect(appsNamedIn("await bundleFunctionApp('apps/device-status')", APPS)).toEqual(['device-status']);
    expect(appsNamedIn("execFile(node, ['tools/build/bundle-app.mjs', 'apps/ingestion'])", APPS)).toEqual(['ingestion']);
    expect(appsNamedIn("const app = 'ingestion'; logger.info(app)", APPS)).toEqual([]);
  });

  it('fails when a declaration is missing; a tag pattern covers every app with the tag', () => {
    const projects = [project('ingestion', [], ['type:app']), project('device-status', [], ['type:app']), project('dashboard', ['ingestion']), project('local-stack', ['tag:type:app'])];
    const runs = [
      { project: 'dashboard', file: 'apps/dashboard/src/dashboard.e2e.spec.ts', app: 'ingestion' },
      { project: 'dashboard', file: 'apps/dashboard/src/dashboard.e2e.spec.ts', app: 'device-status' },
      { project: 'local-stack', file: 'tools/local-stack/src/start-stack.ts', app: 'device-status' },
      { project: 'ingestion', file: 'apps/ingestion/src/batch-memory.e2e.spec.ts', app: 'ingestion' },
    ];
    expect(missingDeclarations(runs, projects)).toEqual([runs[1]]);
    expect([...declaredDependencies(projects[3]!, projects)].sort()).toEqual(['device-status', 'ingestion']);
  });
});
