import { EventHubConsumerClient, EventHubProducerClient, earliestEventPosition } from '@azure/event-hubs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnEmulator } from './spawn-emulator';

export interface BenchOptions {
  events: number;
  eventBytes: number;
  /** Partitions of the bench hub (default 4); sends run in parallel, one per partition. */
  partitions?: number;
}

export interface BenchResult {
  sendEventsPerSec: number;
  receiveEventsPerSec: number;
}

/**
 * Throughput through the real SDK against an emulator in its own process (so its CPU is
 * not shared with the clients'): createBatch-sized sends in parallel over partitions, then
 * one EventHubConsumerClient reading everything back with batches of up to 1000.
 */
export async function benchEmulator(opts: BenchOptions): Promise<BenchResult> {
  const partitions = opts.partitions ?? 4;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'eh-bench-'));
  const emulator = await spawnEmulator({ dataDir, hubs: [{ name: 'bench', partitions }] });
  const producer = new EventHubProducerClient(emulator.connectionString);
  const consumer = new EventHubConsumerClient('$Default', emulator.connectionString);
  try {
    const body = Buffer.alloc(opts.eventBytes, 0x61);
    const ids = Array.from({ length: partitions }, (_, i) => String(i));
    const perPartition = ids.map((_, i) => Math.floor(opts.events / partitions) + (i < opts.events % partitions ? 1 : 0));
    await producer.getEventHubProperties(); // connect and authorise outside the timed part

    const sendStart = performance.now();
    await Promise.all(
      ids.map(async (partitionId, i) => {
        let remaining = perPartition[i] as number;
        while (remaining > 0) {
          const batch = await producer.createBatch({ partitionId });
          while (remaining > 0 && batch.tryAdd({ body })) remaining--;
          await producer.sendBatch(batch);
        }
      }),
    );
    const sendSeconds = (performance.now() - sendStart) / 1000;

    let received = 0;
    const receiveStart = performance.now();
    await new Promise<void>((resolve, reject) => {
      const subscription = consumer.subscribe(
        {
          processEvents: async (events) => {
            received += events.length;
            if (received >= opts.events) subscription.close().then(resolve, reject);
          },
          processError: async (error) => reject(error),
        },
        { startPosition: earliestEventPosition, maxBatchSize: 1000, maxWaitTimeInSeconds: 1, skipParsingBodyAsJson: true },
      );
    });
    const receiveSeconds = (performance.now() - receiveStart) / 1000;
    return { sendEventsPerSec: Math.round(opts.events / sendSeconds), receiveEventsPerSec: Math.round(opts.events / receiveSeconds) };
  } finally {
    await producer.close();
    await consumer.close();
    await emulator.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
