import type { CheckpointStore, EventHubConsumerClient } from '@azure/event-hubs';

export interface PartitionLag {
  partitionId: string;
  /** -1 when the partition is empty. */
  lastEnqueuedSequenceNumber: number;
  lastEnqueuedTimeUtc: string | null;
  /** The ingestion consumer group's checkpoint; null before its first checkpoint. */
  checkpointSequenceNumber: number | null;
  /** Events enqueued after the checkpoint (not yet processed by ingestion). */
  lag: number;
}

export interface EventHubLag {
  eventHubName: string;
  consumerGroup: string;
  partitions: PartitionLag[];
  /** Sum over partitions of (last enqueued sequence number + 1): events ever enqueued. */
  enqueuedTotal: number;
  /** Sum over partitions of (checkpoint + 1): events ingestion has finished with. */
  checkpointedTotal: number;
  lagTotal: number;
}

/**
 * Per-partition lag of the ingestion consumer group: the hub's last enqueued sequence number
 * against the checkpoint the Functions host wrote (blob container `azure-webjobs-eventhub` of the
 * ingestion app's storage). Without a checkpoint the whole retained partition counts as lag
 * (ingestion starts `fromStart`).
 */
export class EventHubLagSource {
  constructor(
    private readonly client: EventHubConsumerClient,
    private readonly checkpoints: CheckpointStore,
    /** The consumer group the ingestion trigger reads with (setting EventHubConsumerGroup). */
    private readonly consumerGroup: string,
  ) {}

  async read(signal?: AbortSignal): Promise<EventHubLag> {
    const { eventHubName, fullyQualifiedNamespace } = this.client;
    const consumerGroup = this.consumerGroup;
    const [ids, stored] = await Promise.all([
      this.client.getPartitionIds({ abortSignal: signal }),
      this.checkpoints.listCheckpoints(fullyQualifiedNamespace, eventHubName, consumerGroup, { abortSignal: signal }),
    ]);
    const byPartition = new Map(stored.map((c) => [c.partitionId, c.sequenceNumber]));
    const partitions = await Promise.all(
      ids.map(async (partitionId): Promise<PartitionLag> => {
        const p = await this.client.getPartitionProperties(partitionId, { abortSignal: signal });
        const last = p.isEmpty ? -1 : p.lastEnqueuedSequenceNumber;
        const checkpoint = byPartition.get(partitionId) ?? null;
        const from = checkpoint ?? (p.isEmpty ? last : p.beginningSequenceNumber - 1);
        return {
          partitionId,
          lastEnqueuedSequenceNumber: last,
          lastEnqueuedTimeUtc: p.isEmpty ? null : p.lastEnqueuedOnUtc.toISOString(),
          checkpointSequenceNumber: checkpoint,
          lag: Math.max(0, last - from),
        };
      }),
    );
    partitions.sort((a, b) => Number(a.partitionId) - Number(b.partitionId) || a.partitionId.localeCompare(b.partitionId));
    return {
      eventHubName,
      consumerGroup,
      partitions,
      enqueuedTotal: partitions.reduce((n, p) => n + p.lastEnqueuedSequenceNumber + 1, 0),
      checkpointedTotal: partitions.reduce((n, p) => n + (p.checkpointSequenceNumber ?? -1) + 1, 0),
      lagTotal: partitions.reduce((n, p) => n + p.lag, 0),
    };
  }
}
