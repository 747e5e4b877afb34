import { EventHubConsumerClient } from '@azure/event-hubs';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';
import { RESOURCE_NAMES } from '@telemetry/contracts';
import { ConfigError } from '@telemetry/core';
import { EventHubLagSource } from './event-hub-lag-source';

type Env = Record<string, string | undefined>;

const credential = (env: Env, name: string) => new DefaultAzureCredential({ managedIdentityClientId: env[`${name}__clientId`] ?? env['AZURE_CLIENT_ID'] });

/**
 * The ingestion consumer group's lag source from Functions-style connection settings: the hub on
 * `EventHubConnection` (connection string, or `__fullyQualifiedNamespace` with identity), and the
 * checkpoints the ingestion host keeps on `IngestionCheckpointStorage` (falling back to
 * `AzureWebJobsStorage`, apps sharing one account). Undefined when no hub is configured.
 */
export function eventHubLagFromSettings(env: Env, hub: string | undefined, consumerGroup: string): EventHubLagSource | undefined {
  const connection = env['EventHubConnection'];
  const namespace = env['EventHubConnection__fullyQualifiedNamespace'];
  if (!hub || (!connection && !namespace)) return undefined;
  const client = connection
    ? new EventHubConsumerClient(consumerGroup, connection, hub)
    : new EventHubConsumerClient(consumerGroup, namespace!, hub, credential(env, 'EventHubConnection'));
  const checkpointSetting = env['IngestionCheckpointStorage'] || env['IngestionCheckpointStorage__blobServiceUri'] ? 'IngestionCheckpointStorage' : 'AzureWebJobsStorage';
  const connectionString = env[checkpointSetting];
  const blobServiceUri = env[`${checkpointSetting}__blobServiceUri`];
  const blobs = connectionString
    ? BlobServiceClient.fromConnectionString(connectionString)
    : blobServiceUri
      ? new BlobServiceClient(blobServiceUri, credential(env, checkpointSetting))
      : undefined;
  if (!blobs) throw new ConfigError([`${checkpointSetting}: set a connection string or ${checkpointSetting}__blobServiceUri (Event Hubs checkpoints)`]);
  return new EventHubLagSource(client, new BlobCheckpointStore(blobs.getContainerClient(RESOURCE_NAMES.checkpointContainer)), consumerGroup);
}
