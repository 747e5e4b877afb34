import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventHubConsumerClient, EventHubProducerClient } from '@azure/event-hubs';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { TableClient } from '@azure/data-tables';
import { ContainerClient } from '@azure/storage-blob';
import { QueueClient } from '@azure/storage-queue';
import { PipelineError } from '@telemetry/core';
import { buildDeadLetter, encodeDeadLetter } from '@telemetry/dead-letter';
import { start, type EventHubsEmulator } from '@telemetry/eventhubs-emulator';
import { startAzurite, type AzuriteInstance } from '@telemetry/local-services';
import type { DeviceReader } from '../device-reader';
import { BreakerClient } from './breaker-client';
import { DeadLetterStatsSource } from './dead-letter-stats';
import { EventHubLagSource } from './event-hub-lag';
import { collectOpsSummary } from './ops-summary';
import { ParkedCountSource } from './parked-count';

const letter = (code: 'EVENT_INVALID' | 'EVENT_MALFORMED' | 'STORE_UNAVAILABLE', n: number) =>
  encodeDeadLetter(
    buildDeadLetter({
      error: new PipelineError(code, 'test'),
      event: { body: Buffer.from(`{"n":${n}}`), partitionId: '0', sequenceNumber: n, offset: String(n), enqueuedTimeUtc: new Date().toISOString(), partitionKey: null, properties: {} },
      attempts: 0,
      app: 'test',
      now: new Date(Date.UTC(2026, 0, 1, 0, 0, n)),
    }),
  );

/** A stand-in for the breaker app's status/approval endpoints (the contract the client assumes). */
async function fakeBreaker(state: { state: string; approvalUrl?: string }) {
  const calls: string[] = [];
  const server = http.createServer((req, res) => {
    calls.push(`${req.method} ${req.url} key=${req.headers['x-functions-key'] ?? ''}`);
    if (req.url === '/api/breaker') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({ ...state, history: [{ state: 'closed', at: '2026-01-01T00:00:00Z' }, { state: 'open', at: '2026-01-01T00:05:00Z', reason: 'failures over threshold' }] }),
      );
    } else if (req.url?.startsWith('/api/breaker/approve')) {
      state.state = 'closed';
      res.writeHead(202).end();
    } else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, calls, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('operations sources (emulator + Azurite)', () => {
  let emulator: EventHubsEmulator;
  let azurite: AzuriteInstance;
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    [emulator, azurite] = await Promise.all([start({ port: 0, hubs: [{ name: 'telemetry', partitions: 3 }] }), startAzurite()]);
  });
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    await emulator?.close();
    await azurite?.stop();
  });

  it('event hub lag: last enqueued vs the consumer group checkpoint, per partition', async () => {
    const connection = emulator.connectionStringFor('telemetry');
    const producer = new EventHubProducerClient(connection);
    closers.push(() => producer.close());
    await producer.sendBatch(Array.from({ length: 5 }, (_, i) => ({ body: { i } })), { partitionId: '0' });
    await producer.sendBatch(Array.from({ length: 3 }, (_, i) => ({ body: { i } })), { partitionId: '1' });
    const client = new EventHubConsumerClient('ingestion', connection);
    closers.push(() => client.close());
    const container = new ContainerClient(azurite.connectionString, 'azure-webjobs-eventhub');
    await container.createIfNotExists();
    const store = new BlobCheckpointStore(container);
    // Ingestion has finished partition 0 up to sequence number 2 (3 of 5 events).
    await store.updateCheckpoint({ fullyQualifiedNamespace: client.fullyQualifiedNamespace, eventHubName: 'telemetry', consumerGroup: 'ingestion', partitionId: '0', sequenceNumber: 2, offset: '2' });

    const lag = await new EventHubLagSource(client, store, 'ingestion').read();
    expect(lag).toMatchObject({ eventHubName: 'telemetry', consumerGroup: 'ingestion', enqueuedTotal: 8, checkpointedTotal: 3, lagTotal: 5 });
    expect(lag.partitions.map(({ partitionId, lastEnqueuedSequenceNumber, checkpointSequenceNumber, lag: l }) => ({ partitionId, lastEnqueuedSequenceNumber, checkpointSequenceNumber, lag: l }))).toEqual([
      { partitionId: '0', lastEnqueuedSequenceNumber: 4, checkpointSequenceNumber: 2, lag: 2 },
      { partitionId: '1', lastEnqueuedSequenceNumber: 2, checkpointSequenceNumber: null, lag: 3 },
      { partitionId: '2', lastEnqueuedSequenceNumber: -1, checkpointSequenceNumber: null, lag: 0 },
    ]);
  });

  it('dead letters: depth and counts by code; a sample of the oldest 32 when deeper; unreadable messages counted apart', async () => {
    const queue = new QueueClient(azurite.connectionString, 'deadletters-a');
    const empty = await new DeadLetterStatsSource(queue).read();
    expect(empty).toEqual({ queue: 'deadletters-a', depth: 0, sampled: 0, byCode: {}, oldestFailedAt: null });
    await queue.create();
    for (let n = 0; n < 3; n++) await queue.sendMessage(letter('EVENT_INVALID', n));
    await queue.sendMessage(letter('STORE_UNAVAILABLE', 3));
    await queue.sendMessage(Buffer.from('not a dead letter').toString('base64'));
    expect(await new DeadLetterStatsSource(queue).read()).toEqual({
      queue: 'deadletters-a', depth: 5, sampled: 5, byCode: { EVENT_INVALID: 3, STORE_UNAVAILABLE: 1, UNREADABLE: 1 }, oldestFailedAt: '2026-01-01T00:00:00.000Z',
    });

    const deep = new QueueClient(azurite.connectionString, 'deadletters-b');
    await deep.create();
    await Promise.all(Array.from({ length: 40 }, (_, n) => deep.sendMessage(letter(n < 35 ? 'EVENT_MALFORMED' : 'EVENT_INVALID', n))));
    const stats = await new DeadLetterStatsSource(deep).read();
    expect(stats).toMatchObject({ depth: 40, sampled: 32 });
    expect(Object.values(stats.byCode).reduce((a, b) => a + b, 0)).toBe(32);
  });

  it('parked count: 0 without a table, then the entities in it', async () => {
    const table = TableClient.fromConnectionString(azurite.connectionString, 'parked', { allowInsecureConnection: true });
    expect(await new ParkedCountSource(table).read()).toEqual({ table: 'parked', count: 0, capped: false });
    await table.createTable();
    for (let i = 0; i < 7; i++) await table.createEntity({ partitionKey: 'EVENT_INVALID', rowKey: `r${i}` });
    expect(await new ParkedCountSource(table).read()).toEqual({ table: 'parked', count: 7, capped: false });
    expect(await new ParkedCountSource(table, 5).read()).toEqual({ table: 'parked', count: 5, capped: true });
  });

  it('breaker: state and history newest first; resume follows the signed approval link on the breaker origin only', async () => {
    const state: { state: string; approvalUrl?: string } = { state: 'open' };
    const breaker = await fakeBreaker(state);
    closers.push(breaker.close);
    state.approvalUrl = `${breaker.url}/api/breaker/approve?sig=abc`;
    const client = new BreakerClient({ statusUrl: `${breaker.url}/api/breaker`, key: 'k1' });
    expect(await client.status()).toEqual({
      state: 'open', since: '2026-01-01T00:05:00Z', canResume: true,
      history: [{ state: 'open', at: '2026-01-01T00:05:00Z', reason: 'failures over threshold' }, { state: 'closed', at: '2026-01-01T00:00:00Z' }],
    });
    expect(await client.resume()).toEqual({ accepted: true, status: 202, message: 'resume approved' });
    expect(breaker.calls).toContain('POST /api/breaker/approve?sig=abc key=k1');

    state.state = 'open';
    state.approvalUrl = 'http://169.254.169.254/evil';
    expect((await client.status()).canResume).toBe(false);
    expect(await client.resume()).toMatchObject({ accepted: false, status: 409 });
    expect(breaker.calls.filter((c) => c.startsWith('POST'))).toHaveLength(1);
  });

  it('summary: each part probed on its own; a failing or slow part is an error, the others still report', async () => {
    const devices: DeviceReader = { get: async () => ({ kind: 'not-found' }), list: async () => ({ devices: [] }), count: async () => 12 };
    const deadStorage = azurite.connectionString.replace(`:${azurite.queuePort}/`, ':1/');
    const summary = await collectOpsSummary({
      devices,
      deadLetters: new DeadLetterStatsSource(new QueueClient(deadStorage, 'deadletters-a', { retryOptions: { maxTries: 1 } })),
      breaker: new BreakerClient({ statusUrl: 'http://127.0.0.1:1/api/breaker', key: 'secret-key-value' }),
      deadlineMs: 3_000,
    });
    expect(summary.devices).toEqual({ status: 'ok', data: { count: 12 } });
    expect(summary.deadLetters).toMatchObject({ status: 'error', message: expect.any(String) });
    expect(summary.breaker).toMatchObject({ status: 'error' });
    expect(summary.eventHub).toEqual({ status: 'not-configured', message: expect.stringContaining('EventHubConnection') });
    expect(summary.parked).toMatchObject({ status: 'not-configured' });
    expect(JSON.stringify(summary)).not.toContain('secret-key-value');

    const slow: DeviceReader = { ...devices, count: () => new Promise(() => undefined) };
    const started = Date.now();
    const timedOut = await collectOpsSummary({ devices: slow, deadlineMs: 300 });
    expect(timedOut.devices).toMatchObject({ status: 'error' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
