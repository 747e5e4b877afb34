import { readFileSync } from 'node:fs';
import path from 'node:path';
import { allResources, propertyValue, readBicepFile, type BicepFile } from './bicep-file';
import { evaluate, fileScope, isRecord, type Value } from './bicep-literal';
import { INFRA_ROOT } from './infra-files';

let main: BicepFile;
let iotHub: BicepFile;
let ingestion: BicepFile;
let rbac: BicepFile;

beforeAll(async () => {
  const read = (f: string) => readBicepFile(path.join(INFRA_ROOT, f));
  [main, iotHub, ingestion, rbac] = await Promise.all([read('main.bicep'), read('modules/iot-hub.bicep'), read('apps/ingestion.bicep'), read('modules/rbac.bicep')]);
});

/** main.bicep's variable `deviceIdentitySource` for given parameter values (as the deployment would compute it). */
const identitySource = (params: Record<string, Value>): Value => fileScope(main, params)('deviceIdentitySource');

// Issue 22: the optional IoT Hub and what it switches.
describe('deployIotHub (infra/main.bicep, modules/iot-hub.bicep)', () => {
  it('is an optional bool parameter, off by default, and the IoT Hub module is deployed only when it is set', () => {
    const param = main.params.get('deployIotHub');
    expect(param?.required).toBe(false);
    expect(param?.node.text).toMatch(/param deployIotHub bool = false$/m);
    const mod = main.modules.get('iotHub');
    expect(mod?.source).toBe('modules/iot-hub.bicep');
    expect(mod?.node.text).toMatch(/=\s*if\s*\(deployIotHub\)/);
    const parameters = JSON.parse(readFileSync(path.join(INFRA_ROOT, 'main.parameters.json'), 'utf8')) as { parameters: Record<string, { value: unknown }> };
    expect(parameters.parameters['deployIotHub']?.value).toBe(false);
  });

  it('ingestion trusts IoT Hub identities only with the hub deployed and Event Hubs local (SAS) auth off', () => {
    expect(identitySource({ deployIotHub: false, eventHubsLocalAuthEnabled: false })).toBe('body');
    expect(identitySource({ deployIotHub: true, eventHubsLocalAuthEnabled: false })).toBe('iothub');
    expect(identitySource({ deployIotHub: true, eventHubsLocalAuthEnabled: true })).toBe('body');
    // main.bicep hands it to the ingestion app through `shared`, and the app sets DEVICE_IDENTITY_SOURCE from it.
    expect(main.variables.get('shared')?.text).toMatch(/deviceIdentitySource: deviceIdentitySource/);
    const settings = ingestion.variables.get('appSettings');
    expect(settings?.text).toMatch(/DEVICE_IDENTITY_SOURCE: shared\.deviceIdentitySource/);
  });

  it('routes device messages only, identity-based, to the hub ingestion reads; fallback off; no SAS on the hub service side', () => {
    const hub = allResources(iotHub).find((r) => r.type === 'Microsoft.Devices/IotHubs');
    expect(hub).toBeDefined();
    const scope = fileScope(iotHub, { eventHubsNamespaceName: 'ns', eventHubName: 'telemetry', name: 'iot-x', location: 'l', tags: {}, skuName: 'S1', capacity: 1 });
    const properties = evaluate(propertyValue(hub!.body!, 'properties')!, scope);
    const routing: Value = isRecord(properties) ? (properties['routing'] ?? null) : null;
    if (!isRecord(properties) || !isRecord(routing)) throw new Error('IotHubs properties.routing must be a literal object');
    expect(properties['disableLocalAuth']).toBe(true);
    const endpoints = (routing['endpoints'] as Record<string, Value>)['eventHubs'] as Record<string, Value>[];
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0]).toMatchObject({ name: 'telemetry', authenticationType: 'identityBased', endpointUri: 'sb://ns.servicebus.windows.net', entityPath: 'telemetry' });
    expect(endpoints[0]!['connectionString']).toBeUndefined();
    const routes = routing['routes'] as Record<string, Value>[];
    expect(routes.map((r) => [r['source'], r['endpointNames'], r['isEnabled']])).toEqual([['DeviceMessages', ['telemetry'], true]]);
    expect((routing['fallbackRoute'] as Record<string, Value>)['isEnabled']).toBe(false);
    // main.bicep points it at the telemetry hub of the namespace ingestion's trigger reads.
    const params = evaluate(propertyValue(main.modules.get('iotHub')!.body!, 'params')!, fileScope(main));
    expect(isRecord(params) && params['eventHubName']).toBe('telemetry');
    expect(main.modules.get('iotHub')!.body!.text).toMatch(/eventHubsNamespaceName: eventHubs\.outputs\.namespaceName/);
  });

  it("IoT Hub's own identity is the hub's only sender: Data Sender scoped to that one hub; rbac.bicep grants no sender role", () => {
    const role = allResources(iotHub).find((r) => r.type === 'Microsoft.Authorization/roleAssignments');
    expect(role?.body?.text).toMatch(/scope: namespace::hub/);
    expect(role?.body?.text).toMatch(/roleDefinitionId: subscriptionResourceId\('Microsoft.Authorization\/roleDefinitions', role\.eventHubsDataSender\)/);
    expect(fileScope(iotHub)('role')).toEqual({ eventHubsDataSender: '2b629674-e913-4c01-ae53-ef4638d8f975' });
    // The hub validates its endpoint on creation: the role must exist first.
    expect(allResources(iotHub).find((r) => r.type === 'Microsoft.Devices/IotHubs')?.body?.text).toMatch(/dependsOn: \[senderRole\]/);
    expect(rbac.source).not.toMatch(/2b629674-e913-4c01-ae53-ef4638d8f975|eventHubsDataSender/);
  });
});
