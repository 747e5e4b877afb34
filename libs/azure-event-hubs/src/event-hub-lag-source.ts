import type { CheckpointStore, EventHubConsumerClient } from '@azure/event-hubs';
import type { EventHubLag } from '@telemetry/contracts';
import { readPartitionLags } from './partition-lag';

/**
 * Per-partition lag of the ingestion consumer group, with totals: the ops summary's Event Hubs
 * panel. The rule for a partition without a checkpoint is partitionLagOf's.
 */
export class EventHubLagSource {
  constructor(
    private readonly client: EventHubConsumerClient,
    private readonly checkpoints: CheckpointStore,
    /** The consumer group the ingestion trigger reads with (setting EventHubConsumerGroup). */
    private readonly consumerGroup: string,
  ) {}

  async read(signal?: AbortSignal): Promise<EventHubLag> {
    const partitions = await readPartitionLags(this.client, this.checkpoints, this.consumerGroup, signal);
    return {
      eventHubName: this.client.eventHubName,
      consumerGroup: this.consumerGroup,
      partitions,
      enqueuedTotal: partitions.reduce((n, p) => n + p.lastEnqueuedSequenceNumber + 1, 0),
      checkpointedTotal: partitions.reduce((n, p) => n + (p.checkpointSequenceNumber ?? -1) + 1, 0),
      lagTotal: partitions.reduce((n, p) => n + p.lag, 0),
    };
  }
}
