import type { Checkpoint, CheckpointStore, OperationOptions, PartitionOwnership } from '@azure/event-hubs';

/**
 * The CheckpointStore the processor uses, remembering when this processor last claimed or renewed
 * each partition's ownership. The Event Hubs extension's processor (Azure.Messaging.EventHubs,
 * PartitionLoadBalancer / EventProcessor<TPartition>) keeps only ownership younger than
 * partitionOwnershipExpirationInterval and stops processing a partition whose ownership it could
 * not renew in that time (ProcessingStoppedReason.OwnershipLost; the extension then skips the
 * checkpoint); @azure/event-hubs keeps its pumps running however long the store is unreachable.
 * `expired` tells the driver when the extension would have stopped.
 */
export class OwnershipLease implements CheckpointStore {
  private readonly renewedAt = new Map<string, number>();

  constructor(
    private readonly inner: CheckpointStore,
    /** host.json eventHubs.partitionOwnershipExpirationInterval (ms). */
    private readonly expirationMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  listOwnership(fullyQualifiedNamespace: string, eventHubName: string, consumerGroup: string, options?: OperationOptions): Promise<PartitionOwnership[]> {
    return this.inner.listOwnership(fullyQualifiedNamespace, eventHubName, consumerGroup, options);
  }

  async claimOwnership(ownership: PartitionOwnership[], options?: OperationOptions): Promise<PartitionOwnership[]> {
    // The request's start: the stored time is at least this, so expiry is never judged late.
    const requestedAt = this.now();
    const claimed = await this.inner.claimOwnership(ownership, options);
    for (const o of claimed) this.renewedAt.set(o.partitionId, requestedAt);
    return claimed;
  }

  listCheckpoints(fullyQualifiedNamespace: string, eventHubName: string, consumerGroup: string, options?: OperationOptions): Promise<Checkpoint[]> {
    return this.inner.listCheckpoints(fullyQualifiedNamespace, eventHubName, consumerGroup, options);
  }

  updateCheckpoint(checkpoint: Checkpoint, options?: OperationOptions): Promise<void> {
    return this.inner.updateCheckpoint(checkpoint, options);
  }

  /** True once this processor's ownership of the partition went unrenewed for the expiration interval. */
  expired(partitionId: string): boolean {
    const at = this.renewedAt.get(partitionId);
    return at !== undefined && this.now() - at >= this.expirationMs;
  }

  /** Forgets the partition (processing stopped): only a new claim starts its clock again. */
  release(partitionId: string): void {
    this.renewedAt.delete(partitionId);
  }
}

/**
 * Thrown from processEvents to stop a partition whose ownership expired. @azure/event-hubs' pump
 * stops on a non-retryable error and, for this code (the one a stolen link gives), closes the
 * partition with reason OwnershipLost; the load balancer claims it again once the store answers,
 * and the new pump starts from the last checkpoint.
 */
export class OwnershipExpiredError extends Error {
  readonly code = 'ReceiverDisconnectedError';
  readonly retryable = false;

  constructor(partitionId: string, expirationMs: number) {
    super(`ownership of partition ${partitionId} could not be renewed for ${expirationMs} ms (partitionOwnershipExpirationInterval): processing stops until it is claimed again`);
    this.name = 'OwnershipExpiredError';
  }
}
