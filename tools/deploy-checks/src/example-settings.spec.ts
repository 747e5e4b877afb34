import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { contractFromConfigModule, type AppSettingsContract } from './app-settings-contract';
import { WORKSPACE_ROOT } from './workspace';

/** Settings the Functions runtime reads, not the app's schema. */
const RUNTIME_SETTINGS = ['FUNCTIONS_WORKER_RUNTIME', 'AzureWebJobsStorage'];
/** Settings that name a resource or a peer: an example without them runs against nothing (tuning knobs with defaults may be left out). */
const WIRING = /(_TABLE|_QUEUE|_CONTAINER|_DATABASE|_URL|_ENDPOINT)$/;
/** A placeholder for a secret the developer fills in: `<...>`. */
const PLACEHOLDER = /^<[^>]+>$|<[^>]+>/;

/**
 * The drift an app's local.settings.example.json has from what the app reads (its src/config.ts):
 * a setting it needs that is missing, a setting it no longer reads, a value its schema rejects.
 */
export function exampleDrift(contract: AppSettingsContract, values: Record<string, string>): string[] {
  const problems: string[] = [];
  const read = new Set([...contract.schema.map((s) => s.name), ...contract.connections, ...contract.bindings, ...RUNTIME_SETTINGS]);
  const needed = [
    ...contract.schema.filter((s) => !s.optional || WIRING.test(s.name)).map((s) => s.name),
    ...contract.connections,
    ...contract.bindings,
  ].filter((name) => !/^APPLICATIONINSIGHTS_/.test(name) && name !== 'AZURE_CLIENT_ID');
  for (const name of new Set(needed)) if (!(name in values)) problems.push(`${contract.app}: the example lacks ${name}, which the app reads`);
  for (const name of Object.keys(values)) if (!read.has(name)) problems.push(`${contract.app}: the example sets ${name}, which the app does not read`);
  for (const s of contract.schema) {
    const value = values[s.name];
    if (value !== undefined && !PLACEHOLDER.test(value) && !s.accepts(value)) problems.push(`${contract.app}: the example's ${s.name}='${value}' is rejected by the app's schema`);
  }
  return problems;
}

const functionApps = readdirSync(path.join(WORKSPACE_ROOT, 'apps')).filter((a) => existsSync(path.join(WORKSPACE_ROOT, 'apps', a, 'host.json'))).sort();

describe('local.settings.example.json of every function app', () => {
  it.each(functionApps)('%s: complete (every setting it needs) and nothing it does not read', async (app) => {
    const contract = contractFromConfigModule(app, (await import(path.join(WORKSPACE_ROOT, 'apps', app, 'src/config.ts'))) as Record<string, unknown>);
    const example = JSON.parse(readFileSync(path.join(WORKSPACE_ROOT, 'apps', app, 'local.settings.example.json'), 'utf8')) as { Values: Record<string, string> };
    expect(exampleDrift(contract, example.Values)).toEqual([]);
  });

  it('drifts when a needed setting is removed, an unread one added, or a value is invalid', async () => {
    const contract = contractFromConfigModule('ingestion', (await import(path.join(WORKSPACE_ROOT, 'apps/ingestion/src/config.ts'))) as Record<string, unknown>);
    const { Values } = JSON.parse(readFileSync(path.join(WORKSPACE_ROOT, 'apps/ingestion/local.settings.example.json'), 'utf8')) as { Values: Record<string, string> };
    const { FailureTracking: _dropped, ...withoutTracking } = Values;
    expect(exampleDrift(contract, withoutTracking)).toEqual(['ingestion: the example lacks FailureTracking, which the app reads']);
    expect(exampleDrift(contract, { ...Values, LEGACY_SETTING: 'x' })).toEqual(['ingestion: the example sets LEGACY_SETTING, which the app does not read']);
    expect(exampleDrift(contract, { ...Values, COSMOS_ENDPOINT: 'not a url' })).toEqual([expect.stringContaining("COSMOS_ENDPOINT='not a url' is rejected")]);
  });

  it('local.settings.json is git-ignored in every app', () => {
    const ignore = readFileSync(path.join(WORKSPACE_ROOT, '.gitignore'), 'utf8').split('\n').map((l) => l.trim());
    expect(ignore).toContain('local.settings.json');
  });
});
