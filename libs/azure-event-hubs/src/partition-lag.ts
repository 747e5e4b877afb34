import type { CheckpointStore, EventHubConsumerClient } from '@azure/event-hubs';
import type { PartitionLag } from '@telemetry/contracts';
import { dataLossOf } from './data-loss';
import { readFirstEvent } from './partition-reader';

/** To add the ages (issue 19): a reader on a consumer group other than ingestion's, and the hub's retention. */
export interface LagAgeOptions {
  reader: Pick<EventHubConsumerClient, 'subscribe'>;
  retentionSeconds: number;
  now?: () => Date;
  /** Seconds to wait for the oldest unprocessed event (default 5). */
  maxWaitSeconds?: number;
}

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
  ages?: LagAgeOptions,
): Promise<PartitionLag[]> {
  const [ids, stored] = await Promise.all([
    client.getPartitionIds({ abortSignal: signal }),
    checkpoints.listCheckpoints(client.fullyQualifiedNamespace, client.eventHubName, consumerGroup, { abortSignal: signal }),
  ]);
  const byPartition = new Map(stored.map((c) => [c.partitionId, c.sequenceNumber]));
  const partitions = await Promise.all(
    ids.map(async (partitionId) => {
      const props = await client.getPartitionProperties(partitionId, { abortSignal: signal });
      const lag = partitionLagOf(props, byPartition.get(partitionId) ?? null);
      if (!ages) return lag;
      // The oldest unprocessed event: the one after the checkpoint (or the first retained one without a checkpoint).
      const position = lag.checkpointSequenceNumber === null || lag.checkpointSequenceNumber < props.beginningSequenceNumber - 1
        ? { sequenceNumber: props.beginningSequenceNumber, isInclusive: true }
        : { sequenceNumber: lag.checkpointSequenceNumber, isInclusive: false };
      const oldest = lag.lag > 0 ? await readFirstEvent(ages.reader, partitionId, position, { signal, maxWaitSeconds: ages.maxWaitSeconds }) : undefined;
      return dataLossOf(lag, oldest?.enqueuedTimeUtc ?? null, ages.retentionSeconds, props.beginningSequenceNumber, ages.now?.() ?? new Date());
    }),
  );
  return partitions.sort((a, b) => Number(a.partitionId) - Number(b.partitionId) || a.partitionId.localeCompare(b.partitionId));
}
