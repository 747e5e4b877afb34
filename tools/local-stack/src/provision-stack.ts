import { TableClient } from '@azure/data-tables';
import { CosmosClient } from '@azure/cosmos';
import { connectStorage } from '@telemetry/azure-storage-queue';
import { connectTable } from '@telemetry/azure-tables';
import { RESOURCE_NAMES } from '@telemetry/contracts';
import { ensureDeadLetterResources, ensureDeviceStateContainer, ensureFailureTable, ensureParkingResources } from '@telemetry/provisioning';
import type { StackServices } from './stack-services';

/**
 * Step 2: creates what Bicep creates in Azure (infra/modules): the device container, the
 * dead-letter queue and claim-check container, the breaker's failure table and the parking table.
 * Cosmos is provisioned directly, not through the fault proxy a test may have turned off.
 */
export async function provisionStack(services: Pick<StackServices, 'base' | 'cosmos'>): Promise<void> {
  const { base, cosmos } = services;
  const direct = new CosmosClient({ endpoint: cosmos.endpoint, key: cosmos.key, connectionPolicy: { enableEndpointDiscovery: false } });
  const { queues, blobs } = connectStorage({ connectionString: base.storage.connectionString });
  const claimChecks = blobs.getContainerClient(base.queues.claimCheckContainer);
  await ensureDeadLetterResources(queues.getQueueClient(base.queues.deadLetter), claimChecks);
  await Promise.all([
    ensureDeviceStateContainer(direct, base.cosmos.database, base.cosmos.container),
    // The breaker's shared failure window: without it no failure is counted and the breaker never trips.
    ensureFailureTable(connectTable({ connectionString: base.storage.connectionString }, RESOURCE_NAMES.failureTable)),
    ensureParkingResources(TableClient.fromConnectionString(base.storage.connectionString, base.queues.parkingTable, { allowInsecureConnection: true }), claimChecks),
  ]);
}
