import type { PartitionOwnership } from '@azure/event-hubs';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { ContainerClient } from '@azure/storage-blob';
import { startAzurite, type AzuriteInstance } from '@telemetry/local-services';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PartitionOwners, partitionsOfNewOwners, type OwnershipRecord } from './partition-owners';
import { RESOURCE_NAMES } from '@telemetry/contracts';

const NOW = 1_000_000;
const EXPIRY = 5_000;

describe('partitionsOfNewOwners (the rebalance scenario\'s precondition)', () => {
  const known = new Set(['first']);
  const held = (partitionId: string, ownerId: string, ageMs = 0): OwnershipRecord => ({ partitionId, ownerId, lastModifiedTimeInMs: NOW - ageMs });

  it('finds nothing while only the first host owns partitions', () => {
    expect(partitionsOfNewOwners(['0', '1', '2', '3'].map((p) => held(p, 'first')), known, NOW, EXPIRY)).toEqual([]);
  });

  it('does not count abandoned or expired ownership, nor an empty store', () => {
    expect(partitionsOfNewOwners([], known, NOW, EXPIRY)).toEqual([]);
    expect(partitionsOfNewOwners([held('0', ''), held('1', 'second', EXPIRY), held('2', 'first'), { partitionId: '3', ownerId: 'second' }], known, NOW, EXPIRY)).toEqual([]);
  });

  it('returns the partitions a new owner holds', () => {
    expect(partitionsOfNewOwners([held('0', 'first'), held('3', 'second', 1_000), held('1', 'second'), held('2', 'stale-killed', 60_000)], known, NOW, EXPIRY)).toEqual(['1', '3']);
  });
});

describe('PartitionOwners on ownership blobs written by BlobCheckpointStore (Azurite)', () => {
  let azurite: AzuriteInstance;
  let dir: string;
  const target = { fullyQualifiedNamespace: '127.0.0.1', eventHubName: 'telemetry', consumerGroup: 'ingestion' };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'partition-owners-'));
    azurite = await startAzurite({ location: dir });
  }, 120_000);
  afterAll(async () => {
    await azurite?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('fails while the second host never claims a partition, and passes once it does', async () => {
    const container = new ContainerClient(azurite.connectionString, RESOURCE_NAMES.checkpointContainer);
    await container.createIfNotExists();
    const store = new BlobCheckpointStore(container);
    const claim = (ownerId: string, partitionIds: string[], etags: Map<string, string> = new Map()): Promise<PartitionOwnership[]> =>
      store.claimOwnership(partitionIds.map((partitionId) => ({ ...target, partitionId, ownerId, ...(etags.has(partitionId) ? { etag: etags.get(partitionId) } : {}) })));
    const firstClaims = await claim('first-host', ['0', '1', '2', '3']);
    expect(firstClaims).toHaveLength(4);

    const owners = new PartitionOwners({ storageConnectionString: azurite.connectionString, ...target });
    const known = await owners.ownerIds();
    expect(known).toEqual(new Set(['first-host']));
    // The first host renews; the second host never claims: the check must fail (a negative: a
    // loaded machine cannot make it pass).
    await claim('first-host', ['0', '1', '2', '3'], new Map(firstClaims.map((c) => [c.partitionId, c.etag!])));
    await expect(owners.waitForNewOwner(known, { timeoutMs: 1_500, expirationMs: 60_000 })).rejects.toThrow(/no new owner took a partition .*ownership, \* = an owner not seen before: 0=first-ho 1=first-ho 2=first-ho 3=first-ho\)/);

    // The second host steals partition 2, as the SDK's balancing does (conditional on the etag it listed).
    const listed = await store.listOwnership(target.fullyQualifiedNamespace, target.eventHubName, target.consumerGroup);
    const stolen = await claim('second-host', ['2'], new Map(listed.map((o) => [o.partitionId, o.etag!])));
    expect(stolen).toHaveLength(1);
    await expect(owners.waitForNewOwner(known, { timeoutMs: 60_000, expirationMs: 60_000 })).resolves.toEqual(['2']);
  }, 120_000);
});
