import { EventHubProducerClient, type EventData } from '@azure/event-hubs';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { ContainerClient } from '@azure/storage-blob';
import { CHECKPOINT_CONTAINER } from '../drivers/eventhub/eventhub-driver';

/** A namespace-level connection string (no EntityPath) so one setting serves several hubs. */
export const namespaceConnection = (withEntityPath: string): string => withEntityPath.replace(/;EntityPath=[^;]*/i, '');

export async function send(connection: string, hub: string, events: EventData[], partitionId?: string): Promise<void> {
  const producer = new EventHubProducerClient(connection, hub);
  try {
    await producer.sendBatch(events, partitionId === undefined ? {} : { partitionId });
  } finally {
    await producer.close();
  }
}

export function checkpointStore(storageConnection: string): BlobCheckpointStore {
  return new BlobCheckpointStore(new ContainerClient(storageConnection, CHECKPOINT_CONTAINER));
}

/** partitionId -> checkpointed sequence number. */
export async function checkpoints(storageConnection: string, fqns: string, hub: string): Promise<Record<string, number>> {
  const list = await checkpointStore(storageConnection).listCheckpoints(fqns, hub, '$Default');
  return Object.fromEntries(list.map((c) => [c.partitionId, c.sequenceNumber]));
}
