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
  });
});
