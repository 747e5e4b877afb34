import { parseBicepSettings } from './bicep-app-settings';

const MODULE = `// drift-check: not set in Azure: COSMOS_KEY (local emulator only)
param shared object

var appSettings = union({
  // a comment line
  COSMOS_ENDPOINT: shared.cosmos.endpoint // trailing comment
  STORE_CONCURRENCY: '32'
  URL: 'https://\${shared.host}/api' // a // inside a string is not a comment
  'quoted-name': 'x'
}, hasWebhook ? {
  BREAKER_WEBHOOK_URL: '@Microsoft.KeyVault(SecretUri=\${shared.kv}secrets/w)'
} : {})

var other = {
  NOT_MINE: 'y'
}
`;

describe('parseBicepSettings', () => {
  it('reads every KEY: value of the block, conditional entries included, and the not-set declarations', () => {
    const { settings, notSet } = parseBicepSettings(MODULE, 'appSettings');
    expect([...settings.keys()]).toEqual(['COSMOS_ENDPOINT', 'STORE_CONCURRENCY', 'URL', 'quoted-name', 'BREAKER_WEBHOOK_URL']);
    expect(settings.get('STORE_CONCURRENCY')).toMatchObject({ expression: "'32'", literal: '32', line: 7 });
    expect(settings.get('COSMOS_ENDPOINT')?.literal).toBeUndefined();
    expect(settings.get('URL')?.literal).toBeUndefined(); // interpolated
    expect(notSet).toEqual(new Map([['COSMOS_KEY', 'local emulator only']]));
  });

  it('refuses what it does not understand and duplicate keys, instead of skipping them', () => {
    expect(() => parseBicepSettings('var appSettings = {\n  A: 1\n  for x in y\n}', 'appSettings')).toThrow(/not a KEY: value line/);
    expect(() => parseBicepSettings("var appSettings = {\n  A: '1'\n  A: '2'\n}", 'appSettings')).toThrow(/A set twice/);
    expect(() => parseBicepSettings('var x = {}', 'appSettings')).toThrow(/no "var appSettings =" block/);
  });
});
