import { rm } from 'node:fs/promises';
import { TableClient } from '@azure/data-tables';
import { CosmosClient, type Container } from '@azure/cosmos';
import { ensureDeviceStateContainer } from '@telemetry/provisioning';
import { claimCheckBlobName, claimCheckSummary, encodeDeadLetter, RESOURCE_NAMES } from '@telemetry/contracts';
import { connectStorage, StorageDeadLetterQueue } from '@telemetry/azure-storage-queue';
import { comparableState, expectedStates, makeTelemetry } from '@telemetry/device-state/testing';
import { spawnHost, type SpawnedHost } from '@telemetry/local-host';
import { startAzurite, startCosmosServer, waitUntil, type AzuriteInstance, type CosmosServerInstance } from '@telemetry/local-services';
import { TableParkingStore } from '@telemetry/azure-tables';
import { type ParkedSummary } from '@telemetry/reprocessing';
import { deadLetterFor } from '@telemetry/reprocessing/testing';
import { buildAppCopy } from './testing/built-app';

const QUEUE = RESOURCE_NAMES.deadLetterQueue;

describe('reprocessor under the local host: poison messages', () => {
  let azurite: AzuriteInstance;
  let cosmos: CosmosServerInstance;
  let host: SpawnedHost;
  let devices: Container;
  let dlq: StorageDeadLetterQueue;
  let parking: TableParkingStore;
  let app: string;

  beforeAll(async () => {
    let a: AzuriteInstance;
    let c: CosmosServerInstance;
    [app, a, c] = await Promise.all([buildAppCopy('apps/dead-letter-reprocessor'), startAzurite(), startCosmosServer()]);
    azurite = a;
    cosmos = c;
    const direct = new CosmosClient({ endpoint: cosmos.endpoint, key: cosmos.key, connectionPolicy: { enableEndpointDiscovery: false } });
    devices = await ensureDeviceStateContainer(direct, 'telemetry', 'devices');
    const { queues, blobs } = connectStorage({ connectionString: azurite.connectionString });
    const container = blobs.getContainerClient('bodies');
    await Promise.all([queues.getQueueClient(QUEUE).create(), container.create()]);
    dlq = new StorageDeadLetterQueue(queues.getQueueClient(QUEUE), container);
    parking = new TableParkingStore(TableClient.fromConnectionString(azurite.connectionString, 'parking', { allowInsecureConnection: true }), container);
    host = await spawnHost({
      app,
      settings: {
        AzureWebJobsStorage: azurite.connectionString, DeadLetterStorage: azurite.connectionString,
        COSMOS_ENDPOINT: cosmos.endpoint, COSMOS_KEY: cosmos.key, DEAD_LETTER_QUEUE: QUEUE, CLAIM_CHECK_CONTAINER: 'bodies', PARKING_TABLE: 'parking',
        // 5 s between attempts: the poison letter's 3 attempts span 10 s or more, while each good letter
        // needs one, so 'applied before the poison was parked' holds with a wide margin on a loaded machine.
        REPROCESS_BACKOFF_BASE_SECONDS: '5', REPROCESS_BACKOFF_MAX_SECONDS: '5', REPROCESS_UNKNOWN_MAX_ATTEMPTS: '3',
      },
    });
  }, 120_000);
  afterAll(async () => {
    await host?.stop();
    await Promise.all([azurite?.stop(), cosmos?.stop(), app && rm(app, { recursive: true, force: true })]);
  });

  const parked = async (): Promise<ParkedSummary[]> => {
    const out: ParkedSummary[] = [];
    for await (const s of parking.list()) out.push(s);
    return out;
  };

  it('a letter that keeps failing is parked after its bounded retries and does not stall the others', async () => {
    // Its claim-check blob is gone: every attempt fails (UNKNOWN), whatever the store does.
    // (A name the sink would produce: a crafted one is parked at once as CLAIM_CHECK_INVALID.)
    const lost = deadLetterFor('STORE_UNAVAILABLE', makeTelemetry(99, 1));
    const poison = claimCheckSummary(lost, 'bodies', claimCheckBlobName(lost.id), 90_000);
    const events = Array.from({ length: 30 }, (_, i) => makeTelemetry(i % 6, i, { battery: (i % 10) / 10 }));
    await dlq.enqueue(poison);
    await Promise.all(events.map((t) => dlq.enqueue(deadLetterFor('STORE_TIMEOUT', t))));
    await dlq.queue.sendMessage(Buffer.from('not a dead letter at all').toString('base64'));

    await waitUntil(async () => (await parked()).length === 2, { timeoutMs: 120_000, intervalMs: 250, description: 'poison and foreign message parked' });
    const entries = await parked();
    const entry = entries.find((e) => e.id === poison.id)!;
    expect(entry).toMatchObject({ code: 'STORE_UNAVAILABLE', attempts: 3, by: 'reprocessor', reason: expect.stringMatching(/^retries exhausted after 3 attempts; last error UNKNOWN/) });
    expect(entries.find((e) => e.id !== poison.id)).toMatchObject({ code: 'UNKNOWN', reason: 'the queue message is not a telemetry dead letter' });
    expect(Buffer.from((await parking.get(entries.find((e) => e.id !== poison.id)!.id))!.letter.body!, 'base64').toString()).toBe('not a dead letter at all');

    const docs = (await devices.items.readAll().fetchAll()).resources;
    expect(new Map(docs.map((d) => [d.id, comparableState(d)]))).toEqual(expectedStates(events));
    // the others were all applied before the poison letter had used up its retries
    const lastWrite = Math.max(...docs.map((d) => Date.parse(d.updatedAt as string)));
    expect(lastWrite).toBeLessThan(Date.parse(entry.parkedAt));
    expect((await dlq.queue.getProperties()).approximateMessagesCount).toBe(0);
  });

  it('a message the host moved to <queue>-poison is parked, and the stats endpoint reports it (function key required)', async () => {
    const letter = deadLetterFor('UNKNOWN', makeTelemetry(7, 1));
    const poisonQueue = connectStorage({ connectionString: azurite.connectionString }).queues.getQueueClient(`${QUEUE}-poison`);
    await poisonQueue.createIfNotExists();
    await poisonQueue.sendMessage(encodeDeadLetter(letter));
    await waitUntil(async () => (await parking.get(letter.id))?.by === 'poison', { timeoutMs: 60_000, intervalMs: 250, description: 'poison message parked' });
    expect(await parking.get(letter.id)).toMatchObject({ code: 'UNKNOWN', reason: expect.stringMatching(/^poison: /) });

    expect((await fetch(`${host.baseUrl}/api/reprocessor/stats`)).status).toBe(401);
    const response = await fetch(`${host.baseUrl}/api/reprocessor/stats`, { headers: { 'x-functions-key': host.functionKey } });
    expect(response.status).toBe(200);
    const stats = (await response.json()) as { parked: { total: number; byCode: { code: string; count: number }[] }; pending: { approximateCount: number }; instance: { reprocessed: Record<string, number> } };
    expect(stats.parked.total).toBe(3);
    expect(stats.parked.byCode.map((c) => [c.code, c.count])).toEqual([['STORE_UNAVAILABLE', 1], ['UNKNOWN', 2]]);
    expect(stats.pending.approximateCount).toBe(0);
    expect(stats.instance.reprocessed).toEqual({ STORE_TIMEOUT: 30 });
  });
});
