import { CosmosClient } from '@azure/cosmos';
import { HttpRequest, InvocationContext } from '@azure/functions';
import { CosmosDeviceReader } from '@telemetry/azure-cosmos';
import { deviceDoc, seedDevices } from '@telemetry/device-queries/testing';
import { startCosmosServer, type CosmosServerInstance } from '@telemetry/local-services';
import { ensureDeviceStateContainer } from '@telemetry/provisioning';
import { createGetDeviceHandler } from './getDevice';

// Issue 22: the API addresses a device by its original id, whatever IoT Hub allowed in it.
describe('GET /api/devices/{deviceId} with IoT Hub ids (handler, Cosmos server)', () => {
  let cosmos: CosmosServerInstance;
  let handler: ReturnType<typeof createGetDeviceHandler>;
  const IDS = ["a?b#c", "50%+off", "it's(1)", '*!,=@;$', 'ends.', 'drone-00001'];

  beforeAll(async () => {
    cosmos = await startCosmosServer();
    const container = await ensureDeviceStateContainer(new CosmosClient({ endpoint: cosmos.endpoint, key: cosmos.key, connectionPolicy: { enableEndpointDiscovery: false } }), 'telemetry', 'devices');
    await seedDevices(container, IDS.map((id, i) => deviceDoc(id, { battery: i / 10 })));
    const reader = new CosmosDeviceReader(container, { callTimeoutMs: 10_000 });
    handler = createGetDeviceHandler(() => reader);
  });
  afterAll(async () => {
    await cosmos?.stop();
  });

  // The route parameter as the host hands it over: already percent-decoded (`a%3Fb%23c` -> `a?b#c`).
  const get = (deviceId: string) =>
    handler(new HttpRequest({ method: 'GET', url: `http://127.0.0.1/api/devices/${encodeURIComponent(deviceId)}`, params: { deviceId } }), new InvocationContext({ logHandler: () => undefined }));

  it('answers 200 with the device under its original id for every id', async () => {
    for (const [i, id] of IDS.entries()) {
      const response = await get(id);
      expect({ id, status: response.status }).toEqual({ id, status: 200 });
      expect(response.jsonBody).toMatchObject({ deviceId: id, battery: i / 10 });
    }
    expect((await get('a?b')).status).toBe(404);
  });

  it('answers 400 for ids IoT Hub would not issue', async () => {
    for (const bad of ['a/b', 'a b', 'x'.repeat(129), 'é', 'a~b']) {
      const response = await get(bad);
      expect({ bad, status: response.status }).toEqual({ bad, status: 400 });
    }
  });
});
