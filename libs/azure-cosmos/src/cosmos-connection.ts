import { CosmosClient, type Container } from '@azure/cosmos';
import { azureCredential } from '@telemetry/azure-identity';
import { isLocalEmulator } from '@telemetry/core';

export interface CosmosConnectionOptions {
  endpoint: string;
  /** Local emulator only. In Azure leave it unset: the app's managed identity is used. */
  key?: string;
  database: string;
  container: string;
  /** User-assigned identity client id (AZURE_CLIENT_ID) when no key is given. */
  managedIdentityClientId?: string;
  /** Per request timeout in ms (COSMOS_REQUEST_TIMEOUT_MS). */
  requestTimeoutMs?: number;
}

/**
 * A Cosmos container handle. The SDK's own throttling retries are turned off: the product's
 * retry policy (cockatiel, retry-after aware) owns every retry, so the budget is in one place.
 */
export function connectCosmos(options: CosmosConnectionOptions): { client: CosmosClient; container: Container } {
  const isLocal = isLocalEmulator(options.endpoint);
  const client = new CosmosClient({
    endpoint: options.endpoint,
    ...(options.key
      ? { key: options.key }
      : { aadCredentials: azureCredential({ managedIdentityClientId: options.managedIdentityClientId }) }),
    connectionPolicy: {
      // The local server has no regional endpoints to discover.
      enableEndpointDiscovery: !isLocal,
      requestTimeout: options.requestTimeoutMs ?? 10_000,
      retryOptions: { maxRetryAttemptCount: 0, fixedRetryIntervalInMilliseconds: 0, maxWaitTimeInSeconds: 0 },
    },
  });
  return { client, container: client.database(options.database).container(options.container) };
}
