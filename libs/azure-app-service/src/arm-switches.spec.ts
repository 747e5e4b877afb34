import { ArmAppStopSwitch } from './arm-app-stop-switch';
import { ArmFunctionDisableSwitch } from './arm-function-disable-switch';
import { connectWebApps } from './arm-web-apps';
import { startLoopbackArmServer, type LoopbackArmServer } from './testing';

const SUB = '00000000-1111-2222-3333-444444444444';
const SITE_PATH = `/subscriptions/${SUB}/resourceGroups/rg-telemetry/providers/Microsoft.Web/sites/func-ingest`;
const credential = { getToken: async () => ({ token: 'fake-arm-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
const ORIGINAL = {
  FUNCTIONS_WORKER_RUNTIME: 'node',
  EventHubConnection__fullyQualifiedNamespace: 'ehns.servicebus.windows.net',
  COSMOS_ENDPOINT: 'https://acct.documents.azure.com:443/',
  'Weird.Name_with-chars': 'a=b;c=d',
  EMPTY: '',
};

describe('ARM ingestion switches against a loopback ARM endpoint', () => {
  let arm: LoopbackArmServer;
  beforeEach(async () => {
    arm = await startLoopbackArmServer({ 'rg-telemetry/func-ingest': ORIGINAL });
  });
  afterEach(async () => arm?.stop());

  const webApps = () => connectWebApps(SUB, credential, { endpoint: arm.endpoint, agent: arm.agent, retryOptions: { maxRetries: 0 } });
  const target = { subscriptionId: SUB, resourceGroup: 'rg-telemetry', appName: 'func-ingest' };

  it('disables the function by read-modify-write of app settings, losing no setting, and re-enables it', async () => {
    const toggle = new ArmFunctionDisableSwitch(webApps(), { ...target, functionNames: ['ingestTelemetry'] });
    await toggle.pause();
    expect(arm.settings.get('rg-telemetry/func-ingest')).toEqual({
      ...ORIGINAL, 'AzureWebJobs.ingestTelemetry.Disabled': 'true', AzureWebJobs_ingestTelemetry_Disabled: 'true',
    });
    expect(arm.requests.map((r) => [r.method, r.path, r.apiVersion])).toEqual([
      ['POST', `${SITE_PATH}/config/appsettings/list`, '2025-05-01'],
      ['PUT', `${SITE_PATH}/config/appsettings`, '2025-05-01'],
    ]);
    // The PUT carries the full dictionary (it replaces), not a delta.
    expect((arm.requests[1]!.body as { properties: Record<string, string> }).properties).toMatchObject(ORIGINAL);
    expect(arm.requests.every((r) => r.authorization === 'Bearer fake-arm-token')).toBe(true);

    // Idempotent: already disabled -> read only, no write (no needless app restart).
    arm.requests.length = 0;
    await toggle.pause();
    expect(arm.requests.map((r) => r.method)).toEqual(['POST']);

    // A setting added by someone else meanwhile survives the resume.
    arm.settings.set('rg-telemetry/func-ingest', { ...arm.settings.get('rg-telemetry/func-ingest')!, ADDED_LATER: '1' });
    await toggle.resume();
    expect(arm.settings.get('rg-telemetry/func-ingest')).toEqual({ ...ORIGINAL, ADDED_LATER: '1' });
  });

  it('stops and starts the whole app', async () => {
    const toggle = new ArmAppStopSwitch(webApps(), target);
    await toggle.pause();
    expect(arm.running.get('rg-telemetry/func-ingest')).toBe(false);
    await toggle.resume();
    expect(arm.running.get('rg-telemetry/func-ingest')).toBe(true);
    expect(arm.requests.map((r) => [r.method, r.path, r.apiVersion])).toEqual([
      ['POST', `${SITE_PATH}/stop`, '2025-05-01'],
      ['POST', `${SITE_PATH}/start`, '2025-05-01'],
    ]);
    expect(arm.settings.get('rg-telemetry/func-ingest')).toEqual(ORIGINAL);
  });

  it('a failing ARM (503, 403) fails every call and changes nothing; after recovery the same switch works', async () => {
    const toggle = new ArmFunctionDisableSwitch(webApps(), { ...target, functionNames: ['ingestTelemetry'] });
    for (const status of [503, 403]) {
      arm.failWith(status);
      await expect(toggle.pause()).rejects.toMatchObject({ name: 'PipelineError' });
    }
    expect(arm.settings.get('rg-telemetry/func-ingest')).toEqual(ORIGINAL);
    arm.recover();
    await toggle.pause();
    expect(arm.settings.get('rg-telemetry/func-ingest')).toMatchObject({ AzureWebJobs_ingestTelemetry_Disabled: 'true' });
  });

  it('surfaces ARM errors as coded errors', async () => {
    const toggle = new ArmFunctionDisableSwitch(webApps(), { ...target, appName: 'missing', functionNames: ['ingestTelemetry'] });
    await expect(toggle.pause()).rejects.toMatchObject({ name: 'PipelineError' });
  });
});
