import { EventHubConsumerClient } from '@azure/event-hubs';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { azureCredential } from '@telemetry/azure-identity';
import { BlobServiceClient } from '@azure/storage-blob';
import { RESOURCE_NAMES } from '@telemetry/contracts';
import { ConfigError } from '@telemetry/core';
import { DEFAULT_RETENTION_HOURS } from './data-loss';
import { EventHubLagSource, type LagAgeSettings } from './event-hub-lag-source';
import { storedCheckpoints } from './write-behind-adapters';

type Env = Record<string, string | undefined>;

const credential = (env: Env, name: string) => azureCredential({ managedIdentityClientId: env[`${name}__clientId`] ?? env['AZURE_CLIENT_ID'] });

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
  const clientFor = (group: string) => connection
    ? new EventHubConsumerClient(group, connection, hub)
    : new EventHubConsumerClient(group, namespace!, hub, credential(env, 'EventHubConnection'));
  const client = clientFor(consumerGroup);
  const checkpointSetting = env['IngestionCheckpointStorage'] || env['IngestionCheckpointStorage__blobServiceUri'] ? 'IngestionCheckpointStorage' : 'AzureWebJobsStorage';
  const connectionString = env[checkpointSetting];
  const blobServiceUri = env[`${checkpointSetting}__blobServiceUri`];
  const blobs = connectionString
    ? BlobServiceClient.fromConnectionString(connectionString)
    : blobServiceUri
      ? new BlobServiceClient(blobServiceUri, credential(env, checkpointSetting))
      : undefined;
  if (!blobs) throw new ConfigError([`${checkpointSetting}: set a connection string or ${checkpointSetting}__blobServiceUri (Event Hubs checkpoints)`]);
  const container = blobs.getContainerClient(RESOURCE_NAMES.checkpointContainer);
  // With an ingestion window, what is stored lags what the trigger checkpointed: lag counts from the store.
  return new EventHubLagSource(client, storedCheckpoints(new BlobCheckpointStore(container), container), consumerGroup, lagAgeSettings(env, clientFor));
}

/**
 * Ages and time to data loss (issue 19): the oldest unprocessed events are read on
 * `EventHubReaderConsumerGroup` (default `$Default`: never the ingestion group, whose epoch
 * receivers refuse other readers). Retention: the Event Hubs SDK does not report a hub's retention
 * (EventHubProperties has none), so it is the setting `EVENT_HUB_RETENTION_HOURS`, default 24
 * (the infra's messageRetentionInDays = 1).
 */
export function lagAgeSettings(env: Env, clientFor: (group: string) => EventHubConsumerClient): LagAgeSettings {
  const raw = env['EVENT_HUB_RETENTION_HOURS'];
  const hours = raw === undefined || raw === '' ? DEFAULT_RETENTION_HOURS : Number(raw);
  if (!Number.isFinite(hours) || hours <= 0) throw new ConfigError([`EVENT_HUB_RETENTION_HOURS: a positive number of hours, got '${raw}'`]);
  return {
    reader: clientFor(env['EventHubReaderConsumerGroup'] || '$Default'),
    retentionSeconds: hours * 3600,
    retentionSource: raw ? 'setting' : 'default',
  };
}
