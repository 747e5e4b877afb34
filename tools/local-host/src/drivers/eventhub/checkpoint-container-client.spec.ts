import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { ContainerClient } from '@azure/storage-blob';
import { startAzurite, type AzuriteInstance } from '@telemetry/local-services';
import { CheckpointContainerClient } from './checkpoint-container-client';

const hub = { fullyQualifiedNamespace: 'ns.servicebus.windows.net', eventHubName: 'telemetry', consumerGroup: '$Default' };

describe('CheckpointContainerClient', () => {
  it('hands out one client per blob name, addressing the blob a fresh client addresses', () => {
    const cached = new CheckpointContainerClient('UseDevelopmentStorage=true', 'checkpoints');
    const fresh = new ContainerClient('UseDevelopmentStorage=true', 'checkpoints');
    const name = 'ns.servicebus.windows.net/telemetry/$default/checkpoint/0';
    const blob = cached.getBlobClient(name);
    expect(cached.getBlobClient(name)).toBe(blob);
    expect(blob.getBlockBlobClient()).toBe(blob.getBlockBlobClient());
    expect(blob.url).toBe(fresh.getBlobClient(name).url);
    expect(blob.getBlockBlobClient().url).toBe(fresh.getBlobClient(name).getBlockBlobClient().url);
    expect(cached.getBlobClient(`${name}1`)).not.toBe(blob);
  });

  describe('under BlobCheckpointStore, against Azurite', () => {
    let azurite: AzuriteInstance;
    beforeAll(async () => {
      azurite = await startAzurite({ inMemory: true });
    });
    afterAll(async () => {
      await azurite?.stop();
    });

    it('stores the checkpoints and ownership a fresh container client stores, including a checkpoint blob deleted in between', async () => {
      const container = new CheckpointContainerClient(azurite.connectionString, 'checkpoints');
      await container.createIfNotExists();
      const store = new BlobCheckpointStore(container);
      const claimed = await store.claimOwnership(['0', '1'].map((partitionId) => ({ ...hub, partitionId, ownerId: 'host-a' })));
      expect(claimed.map((o) => o.partitionId).sort()).toEqual(['0', '1']);
      // Renewal goes through the cached client with the etag of the claim.
      expect(await store.claimOwnership(claimed)).toHaveLength(2);
      for (let i = 1; i <= 3; i++) {
        for (const partitionId of ['0', '1']) await store.updateCheckpoint({ ...hub, partitionId, sequenceNumber: i * 100 + Number(partitionId), offset: String(i * 1000) });
      }
      // Gone (a fresh account, a cleanup): the store falls back to uploading it, through the cached block blob client.
      await new ContainerClient(azurite.connectionString, 'checkpoints').getBlobClient(`${hub.fullyQualifiedNamespace}/${hub.eventHubName}/${hub.consumerGroup.toLowerCase()}/checkpoint/1`).delete();
      await store.updateCheckpoint({ ...hub, partitionId: '1', sequenceNumber: 401, offset: '4000' });

      const plain = new BlobCheckpointStore(new ContainerClient(azurite.connectionString, 'checkpoints'));
      const checkpoints = await plain.listCheckpoints(hub.fullyQualifiedNamespace, hub.eventHubName, hub.consumerGroup);
      expect(checkpoints.map(({ partitionId, sequenceNumber, offset }) => ({ partitionId, sequenceNumber, offset })).sort((a, b) => a.partitionId.localeCompare(b.partitionId))).toEqual([
        { partitionId: '0', sequenceNumber: 300, offset: '3000' },
        { partitionId: '1', sequenceNumber: 401, offset: '4000' },
      ]);
      const ownership = await plain.listOwnership(hub.fullyQualifiedNamespace, hub.eventHubName, hub.consumerGroup);
      expect(ownership.map((o) => [o.partitionId, o.ownerId]).sort()).toEqual([['0', 'host-a'], ['1', 'host-a']]);
    });
  });
});
