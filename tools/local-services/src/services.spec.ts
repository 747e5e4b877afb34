import { CosmosClient } from '@azure/cosmos';
import { QueueServiceClient } from '@azure/storage-queue';
import { startAzurite, startCosmosServer, type AzuriteInstance, type CosmosServerInstance } from './index';

describe('local services', () => {
  let azurite: AzuriteInstance;
  let cosmos: CosmosServerInstance;
  beforeAll(async () => {
    [azurite, cosmos] = await Promise.all([startAzurite(), startCosmosServer()]);
  });
  afterAll(async () => {
    await Promise.all([azurite?.stop(), cosmos?.stop()]);
  });

  it('Azurite serves queues on a free loopback port', async () => {
    const queue = QueueServiceClient.fromConnectionString(azurite.connectionString).getQueueClient('probe');
    await queue.createIfNotExists();
    await queue.sendMessage('hello');
    const { receivedMessageItems } = await queue.receiveMessages();
    expect(receivedMessageItems[0]?.messageText).toBe('hello');
  });

  it('the Cosmos server stores and reads a document', async () => {
    const client = new CosmosClient({ endpoint: cosmos.endpoint, key: cosmos.key, connectionPolicy: { enableEndpointDiscovery: false } });
    const { database } = await client.databases.createIfNotExists({ id: 'probe' });
    const { container } = await database.containers.createIfNotExists({ id: 'c', partitionKey: { paths: ['/pk'] } });
    await container.items.upsert({ id: 'a', pk: 'a', n: 1 });
    const { resource } = await container.item('a', 'a').read();
    expect(resource?.n).toBe(1);
    // Ids the store paths carry encoded (IoT Hub allows `+ % # ? ...`) are signed as Azure signs them.
    for (const id of ['dev:1', 'a+b', 'p%41', 'sp ace', "it's", 'dev(1),=@;$!*']) {
      await container.items.upsert({ id, pk: id, n: 2 });
      expect([id, (await container.item(id, id).read()).resource?.n]).toEqual([id, 2]);
    }
  });

  it('the Cosmos server checks the master-key signature as Azure does: no key, a wrong key and a cross-site form get 401', async () => {
    const database = new CosmosClient({ endpoint: cosmos.endpoint, key: cosmos.key, connectionPolicy: { enableEndpointDiscovery: false } }).database('probe');
    const { container } = await database.containers.createIfNotExists({ id: 'auth', partitionKey: { paths: ['/pk'] } });
    await container.items.upsert({ id: 'kept', pk: 'kept', n: 1 });
    expect(cosmos.key).not.toBe('C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==');

    // The emulator's published key is not this server's key.
    const wrong = new CosmosClient({
      endpoint: cosmos.endpoint, key: 'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==',
      connectionPolicy: { enableEndpointDiscovery: false },
    });
    await expect(wrong.database('probe').container('auth').item('kept', 'kept').read()).rejects.toMatchObject({ code: 401 });
    // What any web page can make a browser send: a "simple" POST, no preflight, no key.
    const forged = await fetch(new URL('dbs/probe/colls/auth/docs', cosmos.endpoint), {
      method: 'POST', headers: { 'content-type': 'text/plain', origin: 'https://attacker.example' }, body: JSON.stringify({ id: 'forged', pk: 'forged' }),
    });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ code: 'Unauthorized' });
    const unsignedRead = await fetch(new URL('dbs/probe/colls/auth/docs/kept', cosmos.endpoint));
    expect(unsignedRead.status).toBe(401);
    const { resources } = await container.items.readAll().fetchAll();
    expect(resources.map((d) => d.id)).toEqual(['kept']);
  });
});
