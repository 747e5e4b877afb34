import { EventHubConsumerClient } from '@azure/event-hubs';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { ContainerClient } from '@azure/storage-blob';
import { QueueClient } from '@azure/storage-queue';
import { waitUntil } from '@telemetry/local-services';
import { RESOURCE_NAMES, type PartitionLag, type StackDescriptor } from '@telemetry/contracts';
import { readPartitionLags, storedCheckpoints } from '@telemetry/azure-event-hubs';

/** Per partition: the ingestion consumer group's lag (one rule: partitionLagOf in libs/azure-event-hubs). */
export async function partitionLag(d: StackDescriptor): Promise<PartitionLag[]> {
  const client = new EventHubConsumerClient(d.eventHubs.consumerGroup, d.eventHubs.connectionString, d.eventHubs.hubName);
  try {
    const container = new ContainerClient(d.storage.connectionString, RESOURCE_NAMES.checkpointContainer);
    // Counted from what is stored: with an ingestion window, held events are checkpointed before they are written.
    const store = storedCheckpoints(new BlobCheckpointStore(container), container);
    // Before the host's first checkpoint the container may not exist yet: no checkpoints.
    const lenient = { listCheckpoints: (...args: Parameters<BlobCheckpointStore['listCheckpoints']>) => store.listCheckpoints(...args).catch(() => []) };
    return await readPartitionLags(client, lenient, d.eventHubs.consumerGroup);
  } finally {
    await client.close();
  }
}

/**
 * Waits until every partition's checkpoint (and, with an ingestion window, its write-behind
 * watermark) has reached its last enqueued event (all input processed and stored) and, when a reprocessor runs, until the dead-letter queue is empty.
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
