import { RESOURCE_NAMES, type StackDescriptor } from '@telemetry/contracts';
import { stackAppSettings } from './app-settings';
import { breakerStatusKey, keyHolders, settingsForApp, type AppKeys } from './spawn-apps';

const APPS = ['ingestion', 'circuit-breaker', 'device-status', 'dead-letter-reprocessor'];
const keys = new Map<string, AppKeys>(APPS.map((app, i) => [app, {
  masterKey: `master-${i}-${'k'.repeat(30)}`, functionKey: `function-${i}-${'k'.repeat(30)}`,
  ...(app === 'circuit-breaker' ? { functionKeys: { breakerStatus: `status-only-${'k'.repeat(30)}` } } : {}),
}]));
const keysOf = (app: string): AppKeys => keys.get(app)!;
const descriptor = {
  storage: { connectionString: 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;QueueEndpoint=http://127.0.0.1:1/devstoreaccount1' },
  eventHubs: { connectionString: 'Endpoint=sb://127.0.0.1:2;SharedAccessKeyName=r;SharedAccessKey=ZWg=;UseDevelopmentEmulator=true', hubName: 'telemetry', consumerGroup: '$Default' },
  cosmos: { endpoint: 'http://127.0.0.1:3/', key: 'Y29zbW9z', database: 'telemetry', container: 'devices' },
  queues: { deadLetter: RESOURCE_NAMES.deadLetterQueue, claimCheckContainer: RESOURCE_NAMES.claimCheckContainer, parkingTable: RESOURCE_NAMES.parkingTable },
  dataDir: '/tmp/app-keys-spec',
} as unknown as Omit<StackDescriptor, 'apps'>;
const baseUrls = Object.fromEntries(APPS.map((app, i) => [app, `http://127.0.0.1:${7100 + i}`]));
const common = stackAppSettings({ descriptor, baseUrls, masterKey: keysOf('ingestion').masterKey, breakerStatusKey: breakerStatusKey(keysOf), approvalSigningKey: 'signing-key-0123456789-0123456789' });
const holders = keyHolders(keysOf, 'signing-key-0123456789-0123456789');

describe("the local stack gives an app another app's key only when it uses it", () => {
  it('device-status holds none of the breaker\'s keys: it reads the anonymous summary (issue 13 item 6)', () => {
    const settings = settingsForApp(common, holders, 'device-status');
    expect(settings['BREAKER_SUMMARY_URL']).toBe(`${baseUrls['circuit-breaker']}/api/breaker/summary`);
    const values = Object.values(settings);
    for (const key of [keysOf('circuit-breaker').functionKey, breakerStatusKey(keysOf), keysOf('circuit-breaker').masterKey, keysOf('ingestion').masterKey, 'signing-key-0123456789-0123456789']) {
      expect(values).not.toContain(key);
    }
    expect(Object.keys(settings)).not.toContain('BREAKER_STATUS_KEY');
  });

  it('the breaker gets ingestion\'s master key (its switch) and the signing key; the reprocessor only the breaker\'s status-function key', () => {
    expect(settingsForApp(common, holders, 'circuit-breaker')).toMatchObject({ INGESTION_SWITCH_KEY: keysOf('ingestion').masterKey, APPROVAL_SIGNING_KEY: 'signing-key-0123456789-0123456789' });
    expect(settingsForApp(common, holders, 'dead-letter-reprocessor')).toMatchObject({ BREAKER_STATUS_KEY: breakerStatusKey(keysOf) });
    for (const app of APPS) {
      // The breaker's host key opens POST /api/breaker/trip: no app holds it.
      expect(Object.values(settingsForApp(common, holders, app))).not.toContain(keysOf('circuit-breaker').functionKey);
      if (app !== 'dead-letter-reprocessor') expect(Object.values(settingsForApp(common, holders, app))).not.toContain(breakerStatusKey(keysOf));
    }
  });
});
