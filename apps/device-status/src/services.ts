import { TableClient } from '@azure/data-tables';
import { EventHubConsumerClient } from '@azure/event-hubs';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';
import { ConfigError } from '@telemetry/core';
import { containerFromSettings, CosmosDeviceReader } from '@telemetry/azure-cosmos';
import { EventHubLagSource } from '@telemetry/azure-event-hubs';
import { connectStorage, DeadLetterStatsSource, storageConnectionFromSettings } from '@telemetry/azure-storage-queue';
import { ParkedCountSource } from '@telemetry/azure-tables';
import { BreakerClient } from '@telemetry/http-adapters';
import type { DeviceReader, OpsSources } from '@telemetry/device-queries';
import { loadDeviceStatusSettings } from './config';

/** The blob container the Functions host keeps Event Hubs checkpoints in. */
export const CHECKPOINT_CONTAINER = 'azure-webjobs-eventhub';

export interface DeviceStatusServices {
  devices: DeviceReader;
  ops: OpsSources;
  breaker?: BreakerClient;
}

let services: DeviceStatusServices | undefined;

/** The composition root: settings parsed once, clients built once per instance and reused. */
export function deviceStatusServices(): DeviceStatusServices {
  services ??= createDeviceStatusServices(process.env);
  return services;
}

type Env = Record<string, string | undefined>;

function credential(env: Env, name: string) {
  return new DefaultAzureCredential({ managedIdentityClientId: env[`${name}__clientId`] ?? env['AZURE_CLIENT_ID'] });
}

function eventHubLag(env: Env, hub: string | undefined, consumerGroup: string): EventHubLagSource | undefined {
  const connection = env['EventHubConnection'];
  const namespace = env['EventHubConnection__fullyQualifiedNamespace'];
  if (!hub || (!connection && !namespace)) return undefined;
  const client = connection
    ? new EventHubConsumerClient(consumerGroup, connection, hub)
    : new EventHubConsumerClient(consumerGroup, namespace!, hub, credential(env, 'EventHubConnection'));
  const checkpointSetting = env['IngestionCheckpointStorage'] || env['IngestionCheckpointStorage__blobServiceUri'] ? 'IngestionCheckpointStorage' : 'AzureWebJobsStorage';
  const blobs = env[checkpointSetting]
    ? BlobServiceClient.fromConnectionString(env[checkpointSetting]!)
    : env[`${checkpointSetting}__blobServiceUri`]
      ? new BlobServiceClient(env[`${checkpointSetting}__blobServiceUri`]!, credential(env, checkpointSetting))
      : undefined;
  if (!blobs) throw new ConfigError([`${checkpointSetting}: set a connection string or ${checkpointSetting}__blobServiceUri (Event Hubs checkpoints)`]);
  return new EventHubLagSource(client, new BlobCheckpointStore(blobs.getContainerClient(CHECKPOINT_CONTAINER)), consumerGroup);
}

function parkedTable(env: Env, table: string): TableClient {
  for (const name of ['ParkedStorage', 'DeadLetterStorage']) {
    const connection = env[name];
    if (connection) return TableClient.fromConnectionString(connection, table, { allowInsecureConnection: /https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(connection) });
    const uri = env[`${name}__tableServiceUri`];
    if (uri) return new TableClient(uri, table, credential(env, name));
  }
  throw new ConfigError(['ParkedStorage / DeadLetterStorage: set a connection string or __tableServiceUri for the parking table']);
}

export function createDeviceStatusServices(env: Env): DeviceStatusServices {
  const settings = loadDeviceStatusSettings(env);
  const container = containerFromSettings(settings);
  const devices = new CosmosDeviceReader(container, { callTimeoutMs: settings.COSMOS_CALL_TIMEOUT_MS });
  const storage = storageConnectionFromSettings('DeadLetterStorage', env);
  const breaker = settings.BREAKER_STATUS_URL ? new BreakerClient({ statusUrl: settings.BREAKER_STATUS_URL, key: settings.BREAKER_STATUS_KEY }) : undefined;
  const ops: OpsSources = {
    devices,
    deadlineMs: settings.OPS_PROBE_TIMEOUT_MS,
    eventHub: eventHubLag(env, settings.EventHubName, settings.EventHubConsumerGroup),
    deadLetters: storage ? new DeadLetterStatsSource(connectStorage(storage).queues.getQueueClient(settings.DEAD_LETTER_QUEUE), settings.DEAD_LETTER_SAMPLE) : undefined,
    parked: storage || env['ParkedStorage'] || env['ParkedStorage__tableServiceUri'] ? new ParkedCountSource(parkedTable(env, settings.PARKING_TABLE)) : undefined,
    breaker,
  };
  return { devices, ops, breaker };
}
