import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventHubConsumerClient, EventHubProducerClient } from '@azure/event-hubs';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { TableClient } from '@azure/data-tables';
import { ContainerClient } from '@azure/storage-blob';
import { QueueClient } from '@azure/storage-queue';
import { PipelineError } from '@telemetry/core';
import { buildDeadLetter } from '@telemetry/dead-letter';
import { encodeDeadLetter, RESOURCE_NAMES, type BreakerStatusReport } from '@telemetry/contracts';
import { start, type EventHubsEmulator } from '@telemetry/eventhubs-emulator';
import { startAzurite, type AzuriteInstance } from '@telemetry/local-services';
import { collectOpsSummary, type DeviceReader } from '@telemetry/device-queries';
import { BreakerClient } from '@telemetry/http-adapters';
import { DeadLetterStatsSource } from '@telemetry/azure-storage-queue';
import { EventHubLagSource } from '@telemetry/azure-event-hubs';
import { ParkedCountSource } from '@telemetry/azure-tables';

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

/** A stand-in of the breaker's anonymous `GET /api/breaker/summary`, recording every request. */
async function fakeBreaker(state: { status: string } & Pick<BreakerStatusReport, 'approval'>) {
  const calls: string[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      calls.push(`${req.method} ${req.url} key=${req.headers['x-functions-key'] ?? ''}`);
      if (req.method === 'GET' && req.url === '/api/breaker/summary') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            status: state.status, episode: 1, since: '2026-01-01T00:05:00Z',
            transitions: [{ from: 'open', to: 'closed', at: '2026-01-01T00:00:00Z', by: 'operator', reason: 'by an operator', episode: 0 }, { from: 'closed', to: 'open', at: '2026-01-01T00:05:00Z', by: 'monitor', reason: 'failures over threshold', episode: 1 }],
            ...(state.approval ? { approval: state.approval } : {}),
            switch: { target: 'paused', state: 'failing', since: '2026-01-01T00:05:01Z', attempts: 4, lastError: 'UNKNOWN' },
          }),
        );
      } else res.writeHead(404).end();
    });
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
    const container = new ContainerClient(azurite.connectionString, RESOURCE_NAMES.checkpointContainer);
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
    expect(empty).toEqual({ queue: 'deadletters-a', depth: 0, sampled: 0, byCode: {}, oldestFailedAt: null, duplicates: 0, expiring: 0 });
    await queue.create();
    for (let n = 0; n < 3; n++) await queue.sendMessage(letter('EVENT_INVALID', n));
    await queue.sendMessage(letter('STORE_UNAVAILABLE', 3));
    await queue.sendMessage(Buffer.from('not a dead letter').toString('base64'));
    expect(await new DeadLetterStatsSource(queue).read()).toEqual({
      queue: 'deadletters-a', depth: 5, sampled: 5, byCode: { EVENT_INVALID: 3, STORE_UNAVAILABLE: 1, UNREADABLE: 1 }, oldestFailedAt: '2026-01-01T00:00:00.000Z',
      duplicates: 0, expiring: 5, // sent here without TTL -1: the service's 7 days
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
    expect(await new ParkedCountSource(table).read()).toEqual({ table: 'parked', count: 0, capped: false, byCode: {} });
    await table.createTable();
    for (let i = 0; i < 7; i++) await table.createEntity({ partitionKey: i < 5 ? 'EVENT_INVALID' : 'STORE_REJECTED', rowKey: `r${i}` });
    expect(await new ParkedCountSource(table).read()).toEqual({ table: 'parked', count: 7, capped: false, byCode: { EVENT_INVALID: 5, STORE_REJECTED: 2 } });
    expect(await new ParkedCountSource(table, 5).read()).toMatchObject({ table: 'parked', count: 5, capped: true });
  });

  it('breaker: read without any key from the anonymous summary; the approval page only on the breaker origin, never a signed link', async () => {
    const state: { status: string } & Pick<BreakerStatusReport, 'approval'> = { status: 'open' };
    const breaker = await fakeBreaker(state);
    closers.push(breaker.close);
    state.approval = { expiresAt: '2026-01-01T01:00:00Z', page: `${breaker.url}/api/breaker/approve` };
    const client = new BreakerClient({ summaryUrl: `${breaker.url}/api/breaker/summary` });
    expect(await client.status()).toEqual({
      state: 'open', since: '2026-01-01T00:05:00Z', reason: 'failures over threshold', canResume: true, approvalPage: `${breaker.url}/api/breaker/approve`,
      history: [{ state: 'open', at: '2026-01-01T00:05:00Z', reason: 'failures over threshold', by: 'monitor' }, { state: 'closed', at: '2026-01-01T00:00:00Z', reason: 'by an operator', by: 'operator' }],
      switch: { target: 'paused', state: 'failing', since: '2026-01-01T00:05:01Z', attempts: 4, lastError: 'UNKNOWN' },
    });
    expect(breaker.calls).toEqual(['GET /api/breaker/summary key=']);
    expect('resume' in client).toBe(false);

    // A page elsewhere, or a link carrying a token (an older breaker's approveUrl), is never passed on.
    for (const approval of [
      { expiresAt: '2026-01-01T01:00:00Z', page: 'http://169.254.169.254/api/breaker/approve' },
      { expiresAt: '2026-01-01T01:00:00Z', page: `${breaker.url}/api/breaker/approve?token=v1.a.b` },
      { expiresAt: '2026-01-01T01:00:00Z', approveUrl: `${breaker.url}/api/breaker/approve?token=v1.a.b` },
    ]) {
      state.approval = approval;
      const summary = await client.status();
      expect(summary).toMatchObject({ canResume: true });
      expect(summary.approvalPage).toBeUndefined();
      expect(JSON.stringify(summary)).not.toContain('token=');
    }
    delete state.approval;
    state.status = 'closed';
    expect(await client.status()).toMatchObject({ state: 'closed', canResume: false });
    expect(breaker.calls.every((c) => c.startsWith('GET /api/breaker/summary key=') && c.endsWith('key='))).toBe(true);
  });

  it('summary: each part probed on its own; a failing or slow part is an error, the others still report', async () => {
    const devices: DeviceReader = { get: async () => ({ kind: 'not-found' }), list: async () => ({ devices: [] }), count: async () => 12 };
    const deadStorage = azurite.connectionString.replace(`:${azurite.queuePort}/`, ':1/');
    const summary = await collectOpsSummary({
      devices,
      deadLetters: new DeadLetterStatsSource(new QueueClient(deadStorage, 'deadletters-a', { retryOptions: { maxTries: 1 } })),
      breaker: new BreakerClient({ summaryUrl: 'http://127.0.0.1:1/api/breaker/summary?code=secret-key-value' }),
      deadlineMs: 3_000,
    });
    expect(summary.devices).toEqual({ status: 'ok', data: { count: 12 } });
    // The code, never the SDK's message: it names hosts and ports (`connect ECONNREFUSED 127.0.0.1:1`).
    expect(summary.deadLetters).toEqual({ status: 'error', message: 'failed: ECONNREFUSED' });
    expect(summary.breaker).toMatchObject({ status: 'error' });
    expect(JSON.stringify(summary)).not.toMatch(/127\.0\.0\.1|:1\b/);
    expect(summary.eventHub).toEqual({ status: 'not-configured', message: expect.stringContaining('EventHubConnection') });
    expect(summary.parked).toMatchObject({ status: 'not-configured' });
    expect(JSON.stringify(summary)).not.toContain('secret-key-value');

    const slow: DeviceReader = { ...devices, count: () => new Promise(() => undefined) };
    // The reader never answers: a summary coming back at all (devices as an error) is the deadline
    // at work; without it the test hangs and times out. Timing itself is not asserted (loaded CI).
    const timedOut = await collectOpsSummary({ devices: slow, deadlineMs: 300 });
    expect(timedOut.devices).toEqual({ status: 'error', message: 'timed out after 300 ms' });
  });
});
