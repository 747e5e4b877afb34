import type { CheckpointStore, EventHubConsumerClient } from '@azure/event-hubs';
import type { PartitionLag } from '@telemetry/contracts';

/** What lag is computed from: a partition's retained range, as `getPartitionProperties` reports it. */
export interface PartitionPosition {
  partitionId: string;
  isEmpty: boolean;
  beginningSequenceNumber: number;
  lastEnqueuedSequenceNumber: number;
  lastEnqueuedOnUtc: Date;
}

/**
 * The one rule for lag: events enqueued after the consumer group's checkpoint. Without a
 * checkpoint the whole retained partition counts (ingestion starts `fromStart`).
 */
export function partitionLagOf(p: PartitionPosition, checkpoint: number | null): PartitionLag {
  const last = p.isEmpty ? -1 : p.lastEnqueuedSequenceNumber;
  const from = checkpoint ?? (p.isEmpty ? last : p.beginningSequenceNumber - 1);
  return {
    partitionId: p.partitionId,
    lastEnqueuedSequenceNumber: last,
    lastEnqueuedTimeUtc: p.isEmpty ? null : p.lastEnqueuedOnUtc.toISOString(),
    checkpointSequenceNumber: checkpoint,
    lag: Math.max(0, last - from),
  };
}

/**
 * Every partition's lag for one consumer group: the hub's partitions against the checkpoints the
 * Functions host keeps (blob container RESOURCE_NAMES.checkpointContainer of AzureWebJobsStorage).
 * The one place that reads Event Hubs checkpoints; sorted by partition id.
 */
export async function readPartitionLags(
  client: Pick<EventHubConsumerClient, 'eventHubName' | 'fullyQualifiedNamespace' | 'getPartitionIds' | 'getPartitionProperties'>,
  checkpoints: Pick<CheckpointStore, 'listCheckpoints'>,
  consumerGroup: string,
  signal?: AbortSignal,
): Promise<PartitionLag[]> {
  const [ids, stored] = await Promise.all([
    client.getPartitionIds({ abortSignal: signal }),
    checkpoints.listCheckpoints(client.fullyQualifiedNamespace, client.eventHubName, consumerGroup, { abortSignal: signal }),
  ]);
  const byPartition = new Map(stored.map((c) => [c.partitionId, c.sequenceNumber]));
  const partitions = await Promise.all(
    ids.map(async (partitionId) => partitionLagOf(await client.getPartitionProperties(partitionId, { abortSignal: signal }), byPartition.get(partitionId) ?? null)),
  );
  return partitions.sort((a, b) => Number(a.partitionId) - Number(b.partitionId) || a.partitionId.localeCompare(b.partitionId));
}
