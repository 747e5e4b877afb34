import { CosmosClient } from '@azure/cosmos';
import { TableClient } from '@azure/data-tables';
import { EventHubProducerClient } from '@azure/event-hubs';
import { BlobServiceClient } from '@azure/storage-blob';
import { start, type EventHubsEmulator } from '@telemetry/eventhubs-emulator';
import { startAzurite, startCosmosServer, waitUntil, type AzuriteInstance, type CosmosServerInstance } from '@telemetry/local-services';
import { spawnHost, type SpawnedHost } from './index';
import { checkpoints, namespaceConnection } from './testing/eventhub-harness';
import { fixture, readRecords, recordFile } from './testing/records';

// One stack (Azurite, the Cosmos server, the Event Hubs emulator) and one host running
// testing/fixtures/bindings-app: the bindings, Event Hubs batching and log hooks behave as in Azure.
describe('conformance with Azure: bindings, Event Hubs batch options, log hooks', () => {
  let azurite: AzuriteInstance;
  let cosmos: CosmosServerInstance;
  let emulator: EventHubsEmulator;
  let host: SpawnedHost;
  let connection: string;
  const records = recordFile('conformance');
  const api = (path: string, init?: RequestInit): Promise<Response> => fetch(`${host.baseUrl}/api/${path}`, init);
  const recorded = <T>(fn: string): T[] => readRecords<{ fn: string } & T>(records).filter((r) => r.fn === fn);
  const table = (name: string): TableClient => TableClient.fromConnectionString(azurite.connectionString, name, { allowInsecureConnection: true });

  beforeAll(async () => {
    [azurite, cosmos, emulator] = await Promise.all([
      startAzurite(),
      startCosmosServer(),
      start({ port: 0, hubs: [{ name: 'bindings-out', partitions: 1 }, { name: 'min-batch', partitions: 1 }] }),
    ]);
    connection = namespaceConnection(emulator.connectionString);
    host = await spawnHost({
      app: fixture('bindings-app/main.ts'),
      settings: {
        AzureWebJobsStorage: azurite.connectionString,
        CosmosConn: `AccountEndpoint=${cosmos.endpoint};AccountKey=${cosmos.key};`,
        EventHubConn: connection,
        RECORD_FILE: records,
      },
    });
  });
  afterAll(async () => {
    await host?.stop();
    await Promise.all([emulator?.close(), cosmos?.stop(), azurite?.stop()]);
  });

  it('extraOutputs and return outputs are written (blob, queue, table, Cosmos, Event Hubs) and inputs read them back (blob, table, Cosmos)', async () => {
    expect((await api('items/x1', { method: 'POST', body: JSON.stringify({ text: 'hello' }) })).status).toBe(201);

    // Outputs, read with the real SDKs.
    const blobs = BlobServiceClient.fromConnectionString(azurite.connectionString);
    expect((await blobs.getContainerClient('bindings-out').getBlobClient('x1.txt').downloadToBuffer()).toString()).toBe('blob:hello');
    const client = new CosmosClient({ endpoint: cosmos.endpoint, key: cosmos.key, connectionPolicy: { enableEndpointDiscovery: false } });
    const { resource } = await client.database('bindings').container('items').item('x1', 'x1').read<{ id: string; text: string }>();
    expect(resource).toMatchObject({ id: 'x1', text: 'hello' });
    client.dispose();
    expect(await table('BindingsOut').getEntity('items', 'x1')).toMatchObject({ partitionKey: 'items', rowKey: 'x1', text: 'hello' });

    // Queue output (two messages: an array is several) -> queue trigger -> `return` blob at {name} of the JSON message.
    await waitUntil(() => recorded<{ message: unknown }>('fromQueue').length >= 2, { timeoutMs: 60_000, description: 'both queue messages' });
    expect(recorded<{ message: unknown }>('fromQueue').map((r) => r.message)).toEqual(expect.arrayContaining([{ name: 'x1', text: 'hello' }, 'plain-x1']));
    const returned = blobs.getContainerClient('bindings-return').getBlobClient('x1.json');
    await waitUntil(() => returned.exists(), { timeoutMs: 60_000, description: 'return blob' });
    expect(JSON.parse((await returned.downloadToBuffer()).toString())).toEqual({ name: 'x1', text: 'hello', via: 'queue' });

    // Event Hubs output (two events) -> event hub trigger -> `return` table rows.
    const fromHub = async (): Promise<string[]> => {
      const rows: string[] = [];
      try {
        for await (const e of table('BindingsFromHub').listEntities<{ body: string }>()) rows.push(e.body);
      } catch {
        // the table does not exist yet
      }
      return rows.sort();
    };
    await waitUntil(async () => (await fromHub()).length >= 2, { timeoutMs: 60_000, description: 'event hub round trip' });
    expect(await fromHub()).toEqual(['second-x1', '{"id":"x1","text":"hello"}'].sort());

    // Inputs: blob (a Buffer), table entity and query, Cosmos by id and by parameterised query.
    const read = (await (await api('items/x1?text=hello')).json()) as Record<string, unknown>;
    expect(read).toMatchObject({
      blob: 'buffer:blob:hello',
      table: { PartitionKey: 'items', RowKey: 'x1', text: 'hello' },
      tableRows: ['x1'],
      cosmos: { id: 'x1', text: 'hello' },
      cosmosByText: ['x1'],
    });
    // Missing blob, entity and document bind null; a query with no match an empty array.
    expect(await (await api('items/nothing?text=none')).json()).toEqual({ blob: null, table: null, tableRows: ['x1'], cosmos: null, cosmosByText: [] });
  });

  it('a table output that inserts an existing entity fails the invocation (409 from the service), as the extension does', async () => {
    expect((await api('items/dup', { method: 'POST', body: JSON.stringify({ text: 'one' }) })).status).toBe(201);
    expect((await api('items/dup', { method: 'POST', body: JSON.stringify({ text: 'two' }) })).status).toBe(500);
    expect(await table('BindingsOut').getEntity('items', 'dup')).toMatchObject({ text: 'one' });
  });

  it('minEventBatchSize: events wait until the batch reaches it; maxWaitTime sends a partial batch and checkpoints it', async () => {
    const batches = (): string[][] => recorded<{ events: string[] }>('batches').map((r) => r.events);
    const producer = new EventHubProducerClient(connection, 'min-batch');
    try {
      // No checkpoint yet: the first batch goes out at once, whatever its size (extension rule).
      await producer.sendBatch([{ body: 'w0' }], { partitionId: '0' });
      await waitUntil(() => batches().length === 1, { timeoutMs: 60_000, description: 'first (partial) batch' });
      expect(batches()).toEqual([['w0']]);
      await waitUntil(async () => (await checkpoints(azurite.connectionString, '127.0.0.1', 'min-batch'))['0'] !== undefined, { timeoutMs: 60_000, description: 'checkpoint' });
      // Four events are held (the host logs it; without the rule they would be invoked at once),
      // then a fifth makes one invocation of 5, the minimum batch size.
      const held = (): boolean => host.tail(200).split('\n').some((line) => line.includes('events held for minEventBatchSize') && line.includes('"held":4'));
      await producer.sendBatch(['a1', 'a2', 'a3', 'a4'].map((body) => ({ body })), { partitionId: '0' });
      await waitUntil(() => held() || batches().length > 1, { timeoutMs: 60_000, description: 'four events received' });
      await producer.sendBatch([{ body: 'b1' }], { partitionId: '0' });
      await waitUntil(() => batches().flat().includes('b1'), { timeoutMs: 60_000, description: 'batch of five' });
      expect(batches()[1]).toEqual(['a1', 'a2', 'a3', 'a4', 'b1']);
      // Fewer than the minimum: dispatched once maxWaitTime (20 s) has passed, then checkpointed.
      await producer.sendBatch([{ body: 'c1' }, { body: 'c2' }], { partitionId: '0' });
      await waitUntil(() => batches().flat().includes('c1'), { timeoutMs: 60_000, description: 'partial batch after maxWaitTime' });
      expect(batches().slice(2)).toEqual([['c1', 'c2']]);
      const last = recorded<{ sequenceNumbers: number[] }>('batches').at(-1)!.sequenceNumbers.at(-1);
      await waitUntil(async () => (await checkpoints(azurite.connectionString, '127.0.0.1', 'min-batch'))['0'] === last, { timeoutMs: 60_000, description: 'checkpoint of the partial batch' });
    } finally {
      await producer.close();
    }
  });

  it('app.hook.log hooks see the invocation\'s user logs', async () => {
    expect((await api('logs', { method: 'POST', body: 'hi' })).status).toBe(204);
    await waitUntil(() => recorded('logHook').length > 0, { timeoutMs: 60_000, description: 'log hook' });
    expect(recorded<{ level: string; message: string; invocationId: string }>('logHook')[0]).toMatchObject({ level: 'warning', message: 'user warning hi', invocationId: expect.any(String) });
  });
});
