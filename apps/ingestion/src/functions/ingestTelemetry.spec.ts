import { createHash } from 'node:crypto';
import { silentLogger } from '@telemetry/core';
import { CosmosClient } from '@azure/cosmos';
import { QueueClient } from '@azure/storage-queue';
import { ensureDeadLetterResources, ensureDeviceStateContainer } from '@telemetry/provisioning';
import { connectStorage, resolveDeadLetter } from '@telemetry/azure-storage-queue';
import { decodeDeadLetter, type DeadLetter } from '@telemetry/contracts';
import { comparableState, expectedStates } from '@telemetry/device-state/testing';
import { documentWrites, startAzurite, startCosmosServer, startFaultProxy, type AzuriteInstance, type CosmosServerInstance, type FaultProxy } from '@telemetry/local-services';
import { createIngestionServices } from '../services';
import { eventHubInvocation } from '../testing/event-hub-invocation';
import { generateBatch } from '../testing/telemetry-batch';
import { createIngestTelemetryHandler } from './ingestTelemetry';

async function drainQueue(queue: QueueClient): Promise<DeadLetter[]> {
  const out: DeadLetter[] = [];
  for (;;) {
    const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 600 });
    if (receivedMessageItems.length === 0) return out;
    out.push(...receivedMessageItems.map((m) => decodeDeadLetter(m.messageText)));
  }
}

describe('ingestTelemetry handler against Azurite and the Cosmos server', () => {
  let azurite: AzuriteInstance;
  let cosmos: CosmosServerInstance;
  let proxy: FaultProxy;
  let direct: CosmosClient;
  let run = 0;

  beforeAll(async () => {
    [azurite, cosmos] = await Promise.all([startAzurite(), startCosmosServer()]);
    proxy = await startFaultProxy(cosmos.endpoint);
    direct = new CosmosClient({ endpoint: cosmos.endpoint, key: cosmos.key, connectionPolicy: { enableEndpointDiscovery: false } });
  });
  afterAll(async () => {
    await proxy?.close();
    await Promise.all([azurite?.stop(), cosmos?.stop()]);
  });

  /** A fresh database and queue per test, and a handler wired exactly as in Azure (from settings). */
  async function setup(overrides: Record<string, string> = {}) {
    run++;
    const env = {
      COSMOS_ENDPOINT: proxy.endpoint, COSMOS_KEY: cosmos.key, COSMOS_DATABASE: `db${run}`, COSMOS_CONTAINER: 'devices',
      // A bulk request of a 1,000-event batch can take seconds on a loaded machine; outages are bounded by STORE_CALL_TIMEOUT_MS.
      COSMOS_REQUEST_TIMEOUT_MS: '10000', DeadLetterStorage: azurite.connectionString, DEAD_LETTER_QUEUE: `deadletter${run}`,
      CLAIM_CHECK_CONTAINER: `bodies${run}`, STORE_MAX_ATTEMPTS: '3', STORE_RETRY_BASE_MS: '10', STORE_RETRY_MAX_MS: '50',
      DEAD_LETTER_MAX_ATTEMPTS: '2', STORE_CALL_TIMEOUT_MS: '15000', ...overrides,
    };
    const container = await ensureDeviceStateContainer(direct, env.COSMOS_DATABASE, 'devices');
    const { queues, blobs } = connectStorage({ connectionString: azurite.connectionString });
    const queue = queues.getQueueClient(env.DEAD_LETTER_QUEUE);
    await ensureDeadLetterResources(queue, blobs.getContainerClient(env.CLAIM_CHECK_CONTAINER));
    proxy.setMode({ kind: 'pass' });
    proxy.resetCounts();
    const services = createIngestionServices(env, { logger: silentLogger });
    return { container, queue, handler: createIngestTelemetryHandler(() => services), services };
  }

  it('a shuffled batch of 1,000 events for 50 devices, with duplicates and bad events: exact state, exact dead letters, <= 50 writes', async () => {
    const { container, queue, handler } = await setup();
    const batch = generateBatch({ count: 1000, devices: 50, duplicateRatio: 0.1, badRatio: 0.03, seed: 42 });
    expect(batch.events.length).toBeGreaterThan(1050);
    expect(batch.bad.size).toBeGreaterThanOrEqual(15);

    const report = await handler(...eventHubInvocation(batch.events));

    // Bulk requests count each operation they carry.
    const writes = documentWrites(proxy.requests());
    expect(writes).toBeLessThanOrEqual(50);
    expect(report).toMatchObject({ devices: 50, deadLettered: batch.bad.size });

    const { resources } = await container.items.readAll().fetchAll();
    const stored = new Map(resources.map((d) => [d.id, comparableState(d)]));
    const expected = expectedStates(batch.valid);
    expect(stored.size).toBe(50);
    expect(new Map([...stored].sort())).toEqual(new Map([...expected].sort()));

    const claimChecks = connectStorage({ connectionString: azurite.connectionString }).blobs.getContainerClient(`bodies${run}`);
    const letters = await Promise.all((await drainQueue(queue)).map((l) => resolveDeadLetter(l, claimChecks)));
    expect(new Map(letters.map((l) => [l.sequenceNumber, l.issue.code]))).toEqual(batch.bad);
    for (const letter of letters) {
      expect(letter).toMatchObject({
        issue: { retryable: false, message: expect.any(String), stage: expect.stringMatching(/decode|validate/) },
        partitionId: '0', offset: expect.any(String), enqueuedTimeUtc: expect.any(String), partitionKey: expect.any(String),
        properties: { source: 'test' }, attempts: 0, failedAt: expect.any(String), eventHubName: 'telemetry',
      });
      const original = batch.events.find((e) => e.sequenceNumber === letter.sequenceNumber)!.body as Buffer;
      expect([letter.bodyBytes, letter.bodySha256]).toEqual([original.byteLength, createHash('sha256').update(original).digest('hex')]);
      // An oversize body is kept as its first 16 KiB only (libs/dead-letter OVERSIZE_BODY_KEPT_BYTES).
      expect(Buffer.from(letter.body!, 'base64')).toEqual(letter.issue.code === 'EVENT_OVERSIZE' ? original.subarray(0, 16 * 1024) : original);
    }
  });

  it('replaying the same batch (a rebalance) changes nothing and writes nothing', async () => {
    const { container, handler } = await setup();
    const batch = generateBatch({ count: 300, devices: 20, duplicateRatio: 0.1, badRatio: 0, seed: 7 });
    await handler(...eventHubInvocation(batch.events));
    const before = (await container.items.readAll().fetchAll()).resources.map(comparableState);
    proxy.resetCounts();
    const report = await handler(...eventHubInvocation(batch.events));
    expect(report).toMatchObject({ written: 0, unchanged: 20 });
    expect(documentWrites(proxy.requests())).toBe(0);
    expect((await container.items.readAll().fetchAll()).resources.map(comparableState)).toEqual(before);
  });

  it('Cosmos unavailable: valid events are dead-lettered as retryable after bounded retries, with their decoded state', async () => {
    const { queue, handler } = await setup({ STORE_CALL_TIMEOUT_MS: '1000' });
    const batch = generateBatch({ count: 40, devices: 5, duplicateRatio: 0, badRatio: 0, seed: 3 });
    proxy.setMode({ kind: 'down' });
    const report = await handler(...eventHubInvocation(batch.events));
    expect(report).toMatchObject({ applied: 0, deadLettered: 40 });
    // Down manifests as refused/reset connections or as calls that time out: both retryable store codes.
    expect(Object.keys(report.deadLetteredByCode).every((c) => ['STORE_UNAVAILABLE', 'STORE_TIMEOUT'].includes(c))).toBe(true);
    const letters = await drainQueue(queue);
    expect(letters).toHaveLength(40);
    // attempts: the batch's bulk request, then STORE_MAX_ATTEMPTS (3) one by one
    for (const l of letters) {
      expect(l).toMatchObject({ issue: { code: expect.stringMatching(/^STORE_(UNAVAILABLE|TIMEOUT)$/), retryable: true, stage: 'store' }, attempts: 4, decoded: { deviceId: l.deviceId } });
    }
  });

  it('Cosmos and the dead-letter queue both unavailable: the handler throws, so the batch is retried', async () => {
    const deadStorage = azurite.connectionString.replace(`:${azurite.queuePort}/`, ':1/').replace(`:${azurite.blobPort}/`, ':1/');
    const { handler } = await setup({ DeadLetterStorage: deadStorage, STORE_CALL_TIMEOUT_MS: '1000' });
    proxy.setMode({ kind: 'down' });
    const batch = generateBatch({ count: 10, devices: 2, duplicateRatio: 0, badRatio: 0, seed: 5 });
    await expect(handler(...eventHubInvocation(batch.events))).rejects.toMatchObject({ code: 'DEAD_LETTER_UNAVAILABLE' });
  });

  it('two instances writing the same devices concurrently lose no field', async () => {
    const { container, handler: first } = await setup();
    const secondServices = createIngestionServices({
      COSMOS_ENDPOINT: proxy.endpoint, COSMOS_KEY: cosmos.key, COSMOS_DATABASE: `db${run}`, DeadLetterStorage: azurite.connectionString,
      DEAD_LETTER_QUEUE: `deadletter${run}`, CLAIM_CHECK_CONTAINER: `bodies${run}`, STORE_CALL_TIMEOUT_MS: '15000',
    }, { logger: silentLogger });
    const second = createIngestTelemetryHandler(() => secondServices);
    const batch = generateBatch({ count: 600, devices: 10, duplicateRatio: 0.05, badRatio: 0, seed: 11 });
    const half = Math.floor(batch.events.length / 2);
    const slices = [batch.events.slice(0, half), batch.events.slice(half)];
    await Promise.all(slices.flatMap((s, i) => [0, 1, 2].map((k) => (i === 0 ? first : second)(...eventHubInvocation(s.filter((_, j) => j % 3 === k))))));
    const stored = new Map((await container.items.readAll().fetchAll()).resources.map((d) => [d.id, comparableState(d)]));
    expect(new Map([...stored].sort())).toEqual(new Map([...expectedStates(batch.valid)].sort()));
  });
});
