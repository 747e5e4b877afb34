import type { Container, CosmosClient } from '@azure/cosmos';
import { retryTransient } from './transient';

/** Creates the database and container if missing (local stack and tests; Bicep does it in Azure). */
export async function ensureDeviceStateContainer(client: CosmosClient, database: string, container: string): Promise<Container> {
  const { database: db } = await retryTransient(() => client.databases.createIfNotExists({ id: database }));
  const { container: c } = await retryTransient(() => db.containers.createIfNotExists({ id: container, partitionKey: { paths: ['/deviceId'] } }));
  return c;
}
