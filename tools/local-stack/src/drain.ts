import { EventHubConsumerClient } from '@azure/event-hubs';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { ContainerClient } from '@azure/storage-blob';
import { QueueClient } from '@azure/storage-queue';
import { waitUntil } from '@telemetry/local-services';
import type { StackDescriptor } from './stack-descriptor';

/** The container the Functions host (and the local host) keeps Event Hubs checkpoints in. */
const CHECKPOINT_CONTAINER = 'azure-webjobs-eventhub';

export interface PartitionLag {
  partitionId: string;
  lastEnqueued: number;
  checkpointed: number;
  lag: number;
}

/** Per partition: last enqueued sequence number vs the ingestion consumer group's checkpoint. */
export async function partitionLag(d: StackDescriptor): Promise<PartitionLag[]> {
  const client = new EventHubConsumerClient(d.eventHubs.consumerGroup, d.eventHubs.connectionString, d.eventHubs.hubName);
  try {
    const store = new BlobCheckpointStore(new ContainerClient(d.storage.connectionString, CHECKPOINT_CONTAINER));
    const ids = await client.getPartitionIds();
    const checkpoints = await store
      .listCheckpoints(client.fullyQualifiedNamespace, client.eventHubName, d.eventHubs.consumerGroup)
      .catch(() => []);
    const byPartition = new Map(checkpoints.map((c) => [c.partitionId, c.sequenceNumber]));
    return Promise.all(
      ids.map(async (partitionId) => {
        const props = await client.getPartitionProperties(partitionId);
        const lastEnqueued = props.isEmpty ? -1 : props.lastEnqueuedSequenceNumber;
        const checkpointed = byPartition.get(partitionId) ?? -1;
        return { partitionId, lastEnqueued, checkpointed, lag: Math.max(0, lastEnqueued - checkpointed) };
      }),
    );
  } finally {
    await client.close();
  }
}

/**
 * Waits until every partition's checkpoint has reached its last enqueued event (all input
 * processed) and, when a reprocessor runs, until the dead-letter queue is empty.
 */
export async function waitForDrain(d: StackDescriptor, options: { timeoutMs: number; waitForDeadLetterQueue?: boolean }): Promise<void> {
  await waitUntil(async () => (await partitionLag(d)).every((p) => p.lag === 0), {
    timeoutMs: options.timeoutMs,
    intervalMs: 250,
    description: 'Event Hubs checkpoints to reach the last enqueued events',
  });
  if (options.waitForDeadLetterQueue) {
    const queue = new QueueClient(d.storage.connectionString, d.queues.deadLetter);
    await waitUntil(async () => ((await queue.getProperties()).approximateMessagesCount ?? 0) === 0, {
      timeoutMs: options.timeoutMs,
      intervalMs: 500,
      description: 'the dead-letter queue to be drained by the reprocessor',
    });
  }
}
