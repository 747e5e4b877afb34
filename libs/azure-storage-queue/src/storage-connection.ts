import { azureCredential } from '@telemetry/azure-identity';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import type { StorageConnection } from './storage-connection-settings';

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
  const credential = azureCredential({ managedIdentityClientId: connection.managedIdentityClientId });
  return {
    queues: new QueueServiceClient(connection.queueServiceUri, credential, PIPELINE),
    blobs: new BlobServiceClient(connection.blobServiceUri, credential, PIPELINE),
  };
}
