import { EventHubConsumerClient, EventHubProducerClient, earliestEventPosition } from '@azure/event-hubs';
import { waitUntil } from '@telemetry/local-services';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnEmulator, type SpawnedEmulator } from './spawn-emulator';
import { receiveEvents } from './testing/consume';

describe('a kill -9 of the emulator process', () => {
  let dataDir: string;
  const started: SpawnedEmulator[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'eh-crash-'));
  });
  afterAll(async () => {
    await Promise.all(started.map((e) => e.kill()));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('loses no acknowledged event, and sequence numbers continue after the restart', async () => {
    const hubs = [{ name: 'telemetry', partitions: 2 }];
    const first = await spawnEmulator({ dataDir, hubs });
    started.push(first);
    expect(first.connectionString).toMatch(/^Endpoint=sb:\/\/127\.0\.0\.1:\d+;.*EntityPath=telemetry;UseDevelopmentEmulator=true$/);

    const producer = new EventHubProducerClient(first.connectionString, { retryOptions: { maxRetries: 0, timeoutInMs: 5_000 } });
    const acknowledged = new Set<number>();
    let next = 0;
    let stopped = false;
    // Two concurrent senders (one per partition) keep writes in flight when the kill lands.
    const senders = ['0', '1'].map(async (partitionId) => {
      while (!stopped) {
        const ids = Array.from({ length: 50 }, () => next++);
        try {
          await producer.sendBatch(ids.map((n) => ({ body: { n } })), { partitionId });
          for (const n of ids) acknowledged.add(n);
        } catch {
          return;
        }
      }
    });
    await waitUntil(() => acknowledged.size >= 2_000, { timeoutMs: 60_000, description: 'acknowledged sends before the kill' });
    await first.kill();
    stopped = true;
    // Restart while the interrupted sends time out; only their outcome (acknowledged or not) matters.
    const [second] = await Promise.all([spawnEmulator({ dataDir, hubs }), Promise.all(senders)]);
    started.push(second);
    await producer.close().catch(() => undefined);
    const consumer = new EventHubConsumerClient('$Default', second.connectionString);
    const checker = new EventHubProducerClient(second.connectionString);
    try {
      const stored = new Set<number>();
      for (const partitionId of ['0', '1']) {
        const props = await checker.getPartitionProperties(partitionId);
        const events = await receiveEvents(consumer, partitionId, earliestEventPosition, props.lastEnqueuedSequenceNumber + 1, { maxBatchSize: 1000 });
        expect(events.map((e) => e.sequenceNumber)).toEqual(Array.from({ length: events.length }, (_, i) => i));
        for (const event of events) stored.add((event.body as { n: number }).n);

        await checker.sendBatch([{ body: { n: -1 } }], { partitionId });
        const after = await checker.getPartitionProperties(partitionId);
        expect(after.lastEnqueuedSequenceNumber).toBe(props.lastEnqueuedSequenceNumber + 1);
      }
      const lost = [...acknowledged].filter((n) => !stored.has(n));
      expect(lost).toEqual([]);
    } finally {
      await consumer.close();
      await checker.close();
      await second.stop();
    }
  });
});
