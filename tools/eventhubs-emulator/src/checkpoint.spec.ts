import { EventHubConsumerClient, EventHubProducerClient, earliestEventPosition, type ReceivedEventData, type Subscription } from '@azure/event-hubs';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { ContainerClient } from '@azure/storage-blob';
import { startAzurite, waitUntil, type AzuriteInstance } from '@telemetry/local-services';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { start, type EventHubsEmulator } from './emulator';

const quiet = (): void => undefined;
/** Claims every free partition each 200 ms (the SDK default is one per 10 s). */
const fastBalancing = { strategy: 'greedy' as const, updateIntervalInMs: 200, partitionOwnershipExpirationIntervalInMs: 2_000 };

describe('with BlobCheckpointStore on Azurite', () => {
  let azurite: AzuriteInstance;
  let dataDir: string;
  let emulator: EventHubsEmulator | undefined;

  beforeAll(async () => {
    azurite = await startAzurite();
  });
  afterAll(async () => {
    await azurite?.stop();
  });
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'eh-checkpoint-'));
  });
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  async function checkpointStore(name: string): Promise<BlobCheckpointStore> {
    const container = new ContainerClient(azurite.connectionString, name);
    await container.createIfNotExists();
    return new BlobCheckpointStore(container);
  }

  async function sendTo(connectionString: string, partitions: string[], tag: string, perPartition: number): Promise<void> {
    const producer = new EventHubProducerClient(connectionString);
    try {
      for (const partitionId of partitions) {
        await producer.sendBatch(Array.from({ length: perPartition }, (_, i) => ({ body: { tag, partitionId, i } })), { partitionId });
      }
    } finally {
      await producer.close();
    }
  }

  it('resumes from the last checkpoint after the emulator restarts on the same data', async () => {
    emulator = await start({ dataDir, hubs: [{ name: 'telemetry', partitions: 2 }], log: quiet });
    const port = emulator.port;
    const store = await checkpointStore('resume');
    await sendTo(emulator.connectionString, ['0', '1'], 'before', 10);

    const first = new EventHubConsumerClient('$Default', emulator.connectionString, store, { loadBalancingOptions: fastBalancing });
    const seen: ReceivedEventData[] = [];
    const sub = first.subscribe(
      {
        processEvents: async (events, context) => {
          seen.push(...events);
          const last = events.at(-1);
          if (last) await context.updateCheckpoint(last);
        },
        processError: async () => undefined,
      },
      // Without a checkpoint the SDK starts at latest: ask for earliest so the first 20 count.
      { maxBatchSize: 100, maxWaitTimeInSeconds: 1, startPosition: earliestEventPosition },
    );
    try {
      await waitUntil(async () => seen.length >= 20 && (await store.listCheckpoints(first.fullyQualifiedNamespace, 'telemetry', '$Default')).length === 2, {
        timeoutMs: 60_000,
        description: 'both partitions checkpointed',
      });
    } finally {
      await sub.close();
      await first.close();
    }
    expect(seen).toHaveLength(20);

    await emulator.close();
    // Same data folder; checkpoints are keyed by namespace host (127.0.0.1), hub and group.
    emulator = await start({ dataDir, port, hubs: [{ name: 'telemetry', partitions: 2 }], log: quiet });
    await sendTo(emulator.connectionString, ['0', '1'], 'after', 5);

    const second = new EventHubConsumerClient('$Default', emulator.connectionString, store, { loadBalancingOptions: fastBalancing });
    const resumed: ReceivedEventData[] = [];
    const sub2 = second.subscribe(
      { processEvents: async (events) => void resumed.push(...events), processError: async () => undefined },
      { maxBatchSize: 100, maxWaitTimeInSeconds: 1, startPosition: earliestEventPosition },
    );
    try {
      await waitUntil(() => resumed.length >= 10, { timeoutMs: 60_000, description: 'events sent after the restart' });
    } finally {
      await sub2.close();
      await second.close();
    }
    expect(resumed.map((e) => (e.body as { tag: string }).tag)).toEqual(Array(10).fill('after'));
    expect(resumed.map((e) => e.sequenceNumber).sort((a, b) => a - b)).toEqual([10, 10, 11, 11, 12, 12, 13, 13, 14, 14]);
  });

  it('splits partitions between two consumers and rebalances when one stops', async () => {
    emulator = await start({ dataDir, hubs: [{ name: 'balanced', partitions: 4 }], log: quiet });
    const connectionString = emulator.connectionString;
    const store = await checkpointStore('balance');
    const loadBalancingOptions = fastBalancing;

    type Member = { owned: Set<string>; received: ReceivedEventData[]; client: EventHubConsumerClient; subscription: Subscription };
    const join = (): Member => {
      const client = new EventHubConsumerClient('$Default', connectionString, store, { loadBalancingOptions });
      const member = { owned: new Set<string>(), received: [] as ReceivedEventData[], client } as Member;
      member.subscription = client.subscribe(
        {
          processInitialize: async (context) => void member.owned.add(context.partitionId),
          processClose: async (_reason, context) => void member.owned.delete(context.partitionId),
          processEvents: async (events) => void member.received.push(...events),
          processError: async () => undefined,
        },
        { maxBatchSize: 100, maxWaitTimeInSeconds: 0.5 },
      );
      return member;
    };
    const a = join();
    const b = join();
    try {
      // Ownership moves through the store, so a partition can briefly be claimed by both: wait for a clean split.
      await waitUntil(() => a.owned.size === 2 && b.owned.size === 2 && new Set([...a.owned, ...b.owned]).size === 4, {
        timeoutMs: 60_000,
        description: 'a 2/2 split of 4 partitions',
      });

      await b.subscription.close();
      await b.client.close();
      await waitUntil(() => a.owned.size === 4, { timeoutMs: 60_000, description: 'the survivor to own all 4 partitions' });
      await sendTo(connectionString, ['0', '1', '2', '3'], 'after-rebalance', 3);
      await waitUntil(() => a.received.filter((e) => (e.body as { tag?: string }).tag === 'after-rebalance').length === 12, {
        timeoutMs: 60_000,
        description: 'the survivor to receive from every partition',
      });
    } finally {
      await a.subscription.close();
      await a.client.close();
      await b.subscription.close();
      await b.client.close();
    }
  });
});
