import { EventHubConsumerClient } from '@azure/event-hubs';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { ContainerClient } from '@azure/storage-blob';
import { waitUntil } from '@telemetry/local-services';
import { RESOURCE_NAMES } from '@telemetry/contracts';

/** The Functions host's checkpoint container (ownership and checkpoints), on AzureWebJobsStorage. */
const CHECKPOINT_CONTAINER = RESOURCE_NAMES.checkpointContainer;

/** One partition's ownership blob as the checkpoint store lists it. */
export interface OwnershipRecord {
  partitionId: string;
  /** The processor that claimed it; '' once abandoned (graceful stop). */
  ownerId: string;
  lastModifiedTimeInMs?: number;
}

export interface PartitionOwnersOptions {
  storageConnectionString: string;
  fullyQualifiedNamespace: string;
  eventHubName: string;
  consumerGroup: string;
}

/**
 * Partitions held now by owners not in `known`: claimed (not abandoned) and renewed within the
 * ownership expiry (ms, host.json `partitionOwnershipExpirationInterval`), so still theirs.
 */
export function partitionsOfNewOwners(records: OwnershipRecord[], known: ReadonlySet<string>, now: number, expirationMs: number): string[] {
  return records
    .filter((r) => r.ownerId !== '' && !known.has(r.ownerId) && r.lastModifiedTimeInMs !== undefined && now - r.lastModifiedTimeInMs < expirationMs)
    .map((r) => r.partitionId)
    .sort();
}

/**
 * Reads who owns which partition from the ownership blobs the hosts' BlobCheckpointStore writes.
 * Each host's processor claims under its own random owner id, so a host that starts later is told
 * apart by an owner id that was not there before it started.
 */
export class PartitionOwners {
  private readonly store: BlobCheckpointStore;

  constructor(private readonly options: PartitionOwnersOptions) {
    this.store = new BlobCheckpointStore(new ContainerClient(options.storageConnectionString, CHECKPOINT_CONTAINER));
  }

  /** From the stack descriptor's hub and AzureWebJobsStorage account. */
  static forStack(d: { eventHubs: { connectionString: string; hubName: string; consumerGroup: string }; storage: { connectionString: string } }): PartitionOwners {
    // The namespace as the hosts' clients derive it from the connection string (no connection is made).
    const client = new EventHubConsumerClient(d.eventHubs.consumerGroup, d.eventHubs.connectionString, d.eventHubs.hubName);
    const fullyQualifiedNamespace = client.fullyQualifiedNamespace;
    void client.close();
    return new PartitionOwners({
      storageConnectionString: d.storage.connectionString, fullyQualifiedNamespace, eventHubName: d.eventHubs.hubName, consumerGroup: d.eventHubs.consumerGroup,
    });
  }

  async list(): Promise<OwnershipRecord[]> {
    const o = this.options;
    const list = await this.store.listOwnership(o.fullyQualifiedNamespace, o.eventHubName, o.consumerGroup);
    return list.map((r) => ({ partitionId: r.partitionId, ownerId: r.ownerId, lastModifiedTimeInMs: r.lastModifiedTimeInMs }));
  }

  /** Every owner id present now (live, expired or abandoned alike). */
  async ownerIds(): Promise<Set<string>> {
    return new Set((await this.list()).map((r) => r.ownerId).filter((id) => id !== ''));
  }

  /**
   * Waits until an owner not in `known` holds at least one partition; returns its partitions.
   * Rejects after `timeoutMs` naming the owners seen last, e.g. when the new host never claims.
   */
  async waitForNewOwner(known: ReadonlySet<string>, o: { timeoutMs: number; expirationMs: number }): Promise<string[]> {
    let last: OwnershipRecord[] = [];
    try {
      return await waitUntil(
        async () => {
          last = await this.list();
          const taken = partitionsOfNewOwners(last, known, Date.now(), o.expirationMs);
          return taken.length ? taken : undefined;
        },
        { timeoutMs: o.timeoutMs, intervalMs: 250, description: 'a new owner of a partition' },
      );
    } catch (error) {
      const owners = last.map((r) => `${r.partitionId}=${r.ownerId ? r.ownerId.slice(0, 8) : '(none)'}${known.has(r.ownerId) ? '' : '*'}`).join(' ');
      throw new Error(`no new owner took a partition within ${o.timeoutMs} ms (ownership, * = an owner not seen before: ${owners || 'none'}): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
