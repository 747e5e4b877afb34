import type { CheckpointStore, EventHubConsumerClient } from '@azure/event-hubs';
import type { EventHubLag } from '@telemetry/contracts';
import { minTimeToDataLoss } from './data-loss';
import { readPartitionLags, type LagAgeOptions } from './partition-lag';

/** Issue 19: ages and time to data loss, with the retention and where it came from. */
export interface LagAgeSettings extends LagAgeOptions {
  retentionSource: 'hub' | 'setting' | 'default';
}

/**
 * Per-partition lag of the ingestion consumer group, with totals: the ops summary's Event Hubs
 * panel. The rule for a partition without a checkpoint is partitionLagOf's.
 */
export class EventHubLagSource {
  constructor(
    private readonly client: EventHubConsumerClient,
    private readonly checkpoints: Pick<CheckpointStore, 'listCheckpoints'>,
    /** The consumer group the ingestion trigger reads with (setting EventHubConsumerGroup). */
    private readonly consumerGroup: string,
    private readonly ages?: LagAgeSettings,
  ) {}

  /** Closes the hub connections (the ingestion group's client and the age reader). */
  async close(): Promise<void> {
    await Promise.all([this.client.close(), (this.ages?.reader as Partial<Pick<EventHubConsumerClient, 'close'>> | undefined)?.close?.()]);
  }

  async read(signal?: AbortSignal): Promise<EventHubLag> {
    const observedAt = this.ages?.now?.() ?? new Date();
    const ages = this.ages ? { ...this.ages, now: () => observedAt } : undefined;
    const partitions = await readPartitionLags(this.client, this.checkpoints, this.consumerGroup, signal, ages);
    return {
      eventHubName: this.client.eventHubName,
      consumerGroup: this.consumerGroup,
      partitions,
      enqueuedTotal: partitions.reduce((n, p) => n + p.lastEnqueuedSequenceNumber + 1, 0),
      checkpointedTotal: partitions.reduce((n, p) => n + (p.checkpointSequenceNumber ?? -1) + 1, 0),
      lagTotal: partitions.reduce((n, p) => n + p.lag, 0),
      ...(this.ages
        ? { retentionHours: this.ages.retentionSeconds / 3600, retentionSource: this.ages.retentionSource, minTimeToDataLossSeconds: minTimeToDataLoss(partitions), observedAt: observedAt.toISOString() }
        : {}),
    };
  }
}
