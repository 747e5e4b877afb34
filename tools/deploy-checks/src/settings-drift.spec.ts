import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { contractFromConfigModule } from './app-settings-contract';
import { parseBicepSettings } from './bicep-app-settings';
import { settingsDrift } from './settings-drift';
import { WORKSPACE_ROOT } from './workspace';

const configModule = {
  demoSettingsSchema: z.object({
    COSMOS_ENDPOINT: z.url(),
    COSMOS_KEY: z.string().optional(),
    STORE_CONCURRENCY: z.coerce.number().int().min(1).default(32),
    SIGNING_KEY: z.string().min(32),
    AZURE_CLIENT_ID: z.string().optional(),
  }),
  CONNECTION_SETTINGS: ['DeadLetterStorage'],
  BINDING_SETTINGS: ['EventHubConnection', 'EventHubName', 'AzureWebJobsStorage'],
};
const contract = contractFromConfigModule('demo', configModule);

const BASE = `var baseAppSettings = {
  AzureWebJobsStorage__blobServiceUri: hostBlob
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: clientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: ai
  AZURE_CLIENT_ID: clientId
}`;
const OWN_LINES = [
  '// drift-check: not set in Azure: COSMOS_KEY (local only)',
  'var appSettings = {',
  '  COSMOS_ENDPOINT: shared.cosmos.endpoint',
  "  STORE_CONCURRENCY: '32'",
  "  SIGNING_KEY: '@Microsoft.KeyVault(SecretUri=${kv}secrets/signing)'",
  '  DeadLetterStorage__queueServiceUri: shared.q',
  "  DeadLetterStorage__credential: 'managedidentity'",
  '  DeadLetterStorage__clientId: identity.clientId',
  '  EventHubConnection__fullyQualifiedNamespace: shared.ns',
  "  EventHubConnection__credential: 'managedidentity'",
  '  EventHubConnection__clientId: identity.clientId',
  "  EventHubName: 'telemetry'",
  '}',
];

const base = parseBicepSettings(BASE, 'baseAppSettings');
const drift = (lines: string[]) => settingsDrift(contract, base, parseBicepSettings(lines.join('\n'), 'appSettings'));
const without = (key: string) => OWN_LINES.filter((l) => !l.trimStart().startsWith(`${key}:`));
const withLine = (line: string) => [...OWN_LINES.slice(0, -1), line, '}'];

describe('settingsDrift', () => {
  it('finds nothing when Bicep sets exactly what the app reads', () => {
    expect(drift(OWN_LINES)).toEqual([]);
  });

  it('fails when the app reads a setting Bicep does not set', () => {
    expect(drift(without('STORE_CONCURRENCY'))).toEqual(['demo: reads STORE_CONCURRENCY but its Bicep module does not set it']);
    expect(drift(without('EventHubName'))).toEqual(['demo: binding setting EventHubName is not set']);
  });

  it('fails when Bicep sets a setting the app no longer reads', () => {
    expect(drift(withLine("  STORE_CACHE_SIZE: '100'"))).toEqual([expect.stringContaining('Bicep sets STORE_CACHE_SIZE (line 13) but the app no longer reads it')]);
    expect(drift(withLine('  OldStorage__blobServiceUri: x'))).toEqual([expect.stringContaining('Bicep sets OldStorage__blobServiceUri')]);
  });

  it('fails when a connection is missing, partial, keyed, or not identity-based', () => {
    expect(drift(OWN_LINES.filter((l) => !l.includes('DeadLetterStorage')))).toEqual([
      "demo: DeadLetterStorage__credential must be 'managedidentity'",
      'demo: DeadLetterStorage__clientId is missing (user-assigned identity)',
      expect.stringContaining('demo: DeadLetterStorage has no endpoint setting'),
    ]);
    expect(drift(withLine("  DeadLetterStorage: 'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abc'"))).toEqual(
      expect.arrayContaining([expect.stringContaining('DeadLetterStorage is set as a connection string'), expect.stringContaining('carries key material')]),
    );
    expect(drift(withLine('  DeadLetterStorage__accountKey: k'))).toEqual(['demo: DeadLetterStorage__accountKey is not an identity-based connection setting']);
  });

  it('fails when a secret is a plain value, a value is invalid, or a "not set" declaration is stale or ignored', () => {
    expect(drift(OWN_LINES.map((l) => (l.includes('SIGNING_KEY') ? "  SIGNING_KEY: 'x'" : l)))).toEqual(
      expect.arrayContaining(['demo: SIGNING_KEY is a secret; set it as a Key Vault reference, not a value']),
    );
    expect(drift(OWN_LINES.map((l) => (l.includes('STORE_CONCURRENCY') ? "  STORE_CONCURRENCY: 'lots'" : l)))).toEqual([
      "demo: STORE_CONCURRENCY='lots' is rejected by the app's schema",
    ]);
    expect(drift(['// drift-check: not set in Azure: GONE (was local)', ...OWN_LINES])).toEqual([expect.stringContaining('names a setting the app no longer reads')]);
    expect(drift(withLine("  COSMOS_KEY: 'abc'"))).toEqual(expect.arrayContaining([expect.stringContaining('COSMOS_KEY is declared "not set in Azure" but Bicep sets it')]));
  });

  it('fails when the base set carries a setting an app does not read', () => {
    const noClientId = contractFromConfigModule('demo', { ...configModule, demoSettingsSchema: configModule.demoSettingsSchema.omit({ AZURE_CLIENT_ID: true }) });
    expect(settingsDrift(noClientId, base, parseBicepSettings(OWN_LINES.join('\n'), 'appSettings'))).toEqual([
      expect.stringContaining('the base settings set AZURE_CLIENT_ID (line 6) but this app does not read it'),
    ]);
  });
});

describe('the real ingestion module', () => {
  it('drifts as soon as one line is removed or added', async () => {
    const source = await readFile(path.join(WORKSPACE_ROOT, 'infra/apps/ingestion.bicep'), 'utf8');
    const baseSource = await readFile(path.join(WORKSPACE_ROOT, 'infra/modules/function-app.bicep'), 'utf8');
    const real = contractFromConfigModule('ingestion', (await import(path.join(WORKSPACE_ROOT, 'apps/ingestion/src/config.ts'))) as Record<string, unknown>);
    const realBase = parseBicepSettings(baseSource, 'baseAppSettings');
    const check = (text: string) => settingsDrift(real, realBase, parseBicepSettings(text, 'appSettings'));

    expect(check(source)).toEqual([]);
    expect(check(source.replace(/^\s*FAILURE_TABLE:.*\n/m, ''))).toEqual(['ingestion: reads FAILURE_TABLE but its Bicep module does not set it']);
    expect(check(source.replace(/^(\s*)FAILURE_TABLE:/m, "$1LEGACY_SETTING: 'x'\n$1FAILURE_TABLE:"))).toEqual([
      expect.stringContaining('Bicep sets LEGACY_SETTING'),
    ]);
  });
});
