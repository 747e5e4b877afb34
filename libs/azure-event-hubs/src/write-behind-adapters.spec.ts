import { EventHubConsumerClient, EventHubProducerClient } from '@azure/event-hubs';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { RESOURCE_NAMES, type SourceEvent } from '@telemetry/contracts';
import { spawnEmulator, type SpawnedEmulator } from '@telemetry/eventhubs-emulator';
import { startAzurite, type AzuriteInstance } from '@telemetry/local-services';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { CheckpointRewinder } from './checkpoint-rewind';
import { BlobWatermarkStore, EventHubPartitionReplay, storedCheckpoints } from './write-behind-adapters';

jest.setTimeout(120_000);

describe('the ingestion window\'s adapters on Azurite and the Event Hubs emulator (real SDK clients)', () => {
  let azurite: AzuriteInstance;
  let emulator: SpawnedEmulator;
  let container: ContainerClient;
  const scope = { fullyQualifiedNamespace: 'ns.servicebus.windows.net', eventHubName: 'Telemetry', consumerGroup: 'ingestion' };

  beforeAll(async () => {
    [azurite, emulator] = await Promise.all([
      startAzurite(),
      spawnEmulator({ hubs: [{ name: 'telemetry', partitions: 2, consumerGroups: ['ingestion'] }] }),
    ]);
    container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(RESOURCE_NAMES.checkpointContainer);
  });
  afterAll(async () => {
    await Promise.allSettled([azurite?.stop(), emulator?.stop()]);
  });

  it('a watermark is created once, then moves only for the holder of its version; a stale holder is told, not obeyed', async () => {
    const marks = new BlobWatermarkStore(container, scope);
    expect(await marks.read('0')).toBeUndefined();
    // The container does not exist yet: the first write creates it.
    const v1 = await marks.write('0', 41, undefined);
    expect(v1).not.toBe('conflict');
    expect(await marks.read('0')).toEqual({ sequenceNumber: 41, etag: v1 });
    expect(await marks.write('0', 7, undefined)).toBe('conflict');
    const v2 = await marks.write('0', 50, v1 as string);
    expect(v2).not.toBe('conflict');
    expect(await marks.write('0', 45, v1 as string)).toBe('conflict');
    expect((await marks.read('0'))?.sequenceNumber).toBe(50);
    // Beside the extension's own blobs, under its own prefix, lower-cased like them.
    const names: string[] = [];
    for await (const b of container.listBlobsFlat()) names.push(b.name);
    expect(names).toEqual(['write-behind/ns.servicebus.windows.net/telemetry/ingestion/0']);
    // Retired (the window off): read as such, and a holder with the window on takes it back.
    const v3 = await marks.write('0', 60, v2 as string, { retired: true });
    expect(await marks.read('0')).toEqual({ sequenceNumber: 60, etag: v3, retired: true });
    await marks.write('0', 60, v3 as string);
    expect(await marks.read('0')).toEqual({ sequenceNumber: 60, etag: expect.any(String) });
    expect(await marks.write('0', 3, 'stale')).toBe('conflict');
  });

  it('lag counts from the store: a watermark behind the trigger checkpoint lowers it, one ahead, retired or absent leaves it', async () => {
    const marks = new BlobWatermarkStore(container, scope);
    await marks.write('1', 90, undefined);
    await marks.write('2', 500, undefined);
    await marks.write('3', 5, undefined, { retired: true }); // the window off: the checkpoint counts again
    const checkpoints = {
      listCheckpoints: async () => [
        { ...scope, partitionId: '0', sequenceNumber: 10, offset: '1000' },
        { ...scope, partitionId: '1', sequenceNumber: 120, offset: '12000' },
        { ...scope, partitionId: '2', sequenceNumber: 400, offset: '40000' },
        { ...scope, partitionId: '3', sequenceNumber: 300, offset: '30000' },
      ],
    };
    const stored = await storedCheckpoints(checkpoints, container).listCheckpoints(scope.fullyQualifiedNamespace, scope.eventHubName, scope.consumerGroup);
    expect(stored.map((c) => [c.partitionId, c.sequenceNumber])).toEqual([['0', 10], ['1', 90], ['2', 400], ['3', 300]]);
  });

  it('a checkpoint rewind moves the window\'s watermark with it: back no later than the new checkpoint, forward only when nothing acknowledged is unstored', async () => {
    const rewindScope = { ...scope, consumerGroup: 'rewound' };
    const marks = new BlobWatermarkStore(container, rewindScope);
    const rewinder = new CheckpointRewinder({ client: {} as never, reader: {} as never, consumerGroup: 'rewound', checkpoints: new BlobCheckpointStore(container), container });
    const partition = (partitionId: string, from: number, to: number) => ({ partitionId, fromSequenceNumber: from, to: { sequenceNumber: to, offset: String(to * 100) }, toReplay: 0, processedAgain: 0, span: null });
    const apply = (...partitions: ReturnType<typeof partition>[]) => rewinder.apply({ ...rewindScope, target: 'test', partitions }, 'test');
    // Caught up (watermark = checkpoint 20): forward to 500 moves it to 500; back to 7 moves it to 7.
    await marks.write('0', 20, undefined);
    await apply(partition('0', 20, 500));
    expect((await marks.read('0'))?.sequenceNumber).toBe(500);
    await apply(partition('0', 500, 7));
    expect((await marks.read('0'))?.sequenceNumber).toBe(7);
    // After a crash: 11..20 acknowledged, not stored (watermark 10 < checkpoint 20).
    await marks.write('1', 10, (await marks.read('1'))?.etag);
    await apply(partition('1', 20, 15)); // back, but not past what is unstored: the watermark stays at 10
    expect((await marks.read('1'))?.sequenceNumber).toBe(10);
    await expect(apply(partition('0', 7, 9), partition('1', 15, 500))).rejects.toThrow(/events 11 to 15, which were acknowledged; a rewind forward would drop them/);
    // Refused before anything changed.
    expect((await marks.read('0'))?.sequenceNumber).toBe(7);
    const checkpoint = (await new BlobCheckpointStore(container).listCheckpoints(rewindScope.fullyQualifiedNamespace, rewindScope.eventHubName, 'rewound')).find((c) => c.partitionId === '0');
    expect(checkpoint?.sequenceNumber).toBe(7);
    await apply(partition('2', 7, 9)); // no watermark (no window): none is made
    expect(await marks.read('2')).toBeUndefined();
  });

  it('reads a partition again between two sequence numbers, bodies as the bytes that were sent, with their properties', async () => {
    const producer = new EventHubProducerClient(emulator.connectionString, 'telemetry');
    const bodies = Array.from({ length: 12 }, (_, i) => Buffer.from(i === 5 ? '{not json' : JSON.stringify({ n: i })));
    const batch = await producer.createBatch({ partitionId: '1' });
    for (const [i, body] of bodies.entries()) expect(batch.tryAdd({ body, properties: { n: i } })).toBe(true);
    await producer.sendBatch(batch);
    await producer.close();
    const client = new EventHubConsumerClient('$Default', emulator.connectionString, 'telemetry');
    try {
      const replay = new EventHubPartitionReplay(client, { maxWaitSeconds: 5 });
      const chunks: SourceEvent[][] = [];
      await replay.read('1', 2, 9, async (events) => void chunks.push(events));
      const events = chunks.flat();
      expect(events.map((e) => e.sequenceNumber)).toEqual([3, 4, 5, 6, 7, 8]);
      expect(events.map((e) => Buffer.from(e.body as Uint8Array).toString())).toEqual(bodies.slice(3, 9).map(String));
      expect(events[0]).toMatchObject({ partitionId: '1', properties: { n: 3 } });
      expect(Number.isFinite(Date.parse(events[0]!.enqueuedTimeUtc))).toBe(true);
      // Events that are not there: the read fails, coded, instead of waiting for ever (the invocation is retried).
      await expect(replay.read('1', 11, 40, async () => undefined)).rejects.toMatchObject({ code: 'WRITE_BEHIND_BLOCKED' });
    } finally {
      await client.close();
    }
  });
});
