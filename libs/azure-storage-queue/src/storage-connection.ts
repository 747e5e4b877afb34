import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';

/**
 * A storage account reached by connection string (local: Azurite) or, in Azure, by managed
 * identity on its service URIs (settings `<NAME>__queueServiceUri` / `<NAME>__blobServiceUri`,
 * the Functions identity-based connection convention).
 */
export type StorageConnection =
  | { connectionString: string }
  | { queueServiceUri: string; blobServiceUri: string; managedIdentityClientId?: string };

export interface StorageClients {
  queues: QueueServiceClient;
  blobs: BlobServiceClient;
}

// The product's cockatiel policies own retries; the SDK's own (4 tries, seconds apart) would
// multiply the budget and hide outages, so clients make one try per call.
const PIPELINE = { retryOptions: { maxTries: 1, tryTimeoutInMs: 10_000 } };

export function connectStorage(connection: StorageConnection): StorageClients {
  if ('connectionString' in connection) {
    return {
      queues: QueueServiceClient.fromConnectionString(connection.connectionString, PIPELINE),
      blobs: BlobServiceClient.fromConnectionString(connection.connectionString, PIPELINE),
    };
  }
  const credential = new DefaultAzureCredential({ managedIdentityClientId: connection.managedIdentityClientId });
  return {
    queues: new QueueServiceClient(connection.queueServiceUri, credential, PIPELINE),
    blobs: new BlobServiceClient(connection.blobServiceUri, credential, PIPELINE),
  };
}

/** Reads a Functions-style connection setting: `NAME` (connection string) or `NAME__*Uri` (identity). */
export function storageConnectionFromSettings(name: string, env: Record<string, string | undefined>): StorageConnection | undefined {
  const connectionString = env[name];
  if (connectionString) return { connectionString };
  const queueServiceUri = env[`${name}__queueServiceUri`];
  const blobServiceUri = env[`${name}__blobServiceUri`];
  if (queueServiceUri && blobServiceUri) {
    return { queueServiceUri, blobServiceUri, managedIdentityClientId: env[`${name}__clientId`] ?? env['AZURE_CLIENT_ID'] };
  }
  return undefined;
}
