import path from 'node:path';
import { contractFromConfigModule } from './app-settings-contract';
import { readBicepSettings } from './bicep-app-settings';
import { readMainBicep } from './main-bicep';
import { readPipelineApps } from './pipeline-apps';
import { settingsDrift } from './settings-drift';
import { infraAppModules, loadConfigModule, nxAppProjects, WORKSPACE_ROOT, type NxApp } from './workspace';

/**
 * The acceptance checks of issue 7 over the real repository: every Nx app with a settings
 * contract has a Bicep module that sets exactly what it reads (both directions), main.bicep
 * wires and outputs every one, and the pipeline's app list is the Nx app list.
 */
describe('deployment drift', () => {
  let apps: NxApp[];
  beforeAll(async () => {
    apps = await nxAppProjects();
  }, 120_000);

  const functionApps = () => apps.filter((a) => a.hasConfig).map((a) => a.name);

  it('finds the apps through Nx', () => {
    expect(apps.map((a) => a.name)).toContain('ingestion');
  });

  it('has one infra/apps/<app>.bicep per function app, and none for apps that do not exist', async () => {
    expect(await infraAppModules()).toEqual(functionApps());
  });

  it('wires every app module in main.bicep and outputs its function app name for the pipeline', async () => {
    const main = await readMainBicep(path.join(WORKSPACE_ROOT, 'infra/main.bicep'));
    expect(main.modules).toEqual(functionApps());
    expect(main.functionAppOutputs).toEqual(functionApps());
  });

  it('sets every app setting each app reads, and nothing it no longer reads', async () => {
    const base = await readBicepSettings(path.join(WORKSPACE_ROOT, 'infra/modules/function-app.bicep'), 'baseAppSettings');
    const problems: string[] = [];
    for (const app of apps.filter((a) => a.hasConfig)) {
      const contract = contractFromConfigModule(app.name, await loadConfigModule(app));
      const own = await readBicepSettings(path.join(WORKSPACE_ROOT, 'infra/apps', `${app.name}.bicep`), 'appSettings');
      problems.push(...settingsDrift(contract, base, own));
    }
    expect(problems).toEqual([]);
  });

  it('deploys exactly the Nx apps in azure-pipelines.yml: function apps zip-deployed, the rest as static sites', async () => {
    const pipeline = await readPipelineApps(path.join(WORKSPACE_ROOT, 'azure-pipelines.yml'));
    expect(pipeline.map((p) => p.name).sort()).toEqual(apps.map((a) => a.name));
    for (const app of apps) {
      expect({ app: app.name, kind: pipeline.find((p) => p.name === app.name)?.kind }).toEqual({ app: app.name, kind: app.hasConfig ? 'functionapp' : 'static' });
    }
  });
});
