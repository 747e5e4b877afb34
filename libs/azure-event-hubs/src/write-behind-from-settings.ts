import { EventHubConsumerClient } from '@azure/event-hubs';
import { BlobServiceClient } from '@azure/storage-blob';
import { azureCredential } from '@telemetry/azure-identity';
import type { PartitionReplay } from '@telemetry/ingestion-pipeline';
import { RESOURCE_NAMES } from '@telemetry/contracts';
import { ConfigError, PipelineError, type Logger } from '@telemetry/core';
import { BlobWatermarkStore, EventHubPartitionReplay, type HubScope } from './write-behind-adapters';
import { readerGroupProblem, sameGroup } from './write-behind-settings';

type Env = Record<string, string | undefined>;

const credential = (env: Env, name: string) => azureCredential({ managedIdentityClientId: env[`${name}__clientId`] ?? env['AZURE_CLIENT_ID'] });

/**
 * The write-behind's adapters from the ingestion app's own binding settings (least authority: no
 * new credential):
 * - reads again on `EventHubConnection` (connection string, or `__fullyQualifiedNamespace` with the
 *   app's identity), consumer group `EventHubReaderConsumerGroup` (default `$Default`);
 * - keeps watermarks in the trigger's checkpoint container on `AzureWebJobsStorage` (connection
 *   string, or `__blobServiceUri` / `__accountName` with the identity the host already uses there).
 */
export function writeBehindAdaptersFromSettings(env: Env, logger?: Logger): { watermarks: BlobWatermarkStore; replay: PartitionReplay; close(): Promise<void> } {
  const connection = env['EventHubConnection'];
  const fullyQualifiedNamespace = env['EventHubConnection__fullyQualifiedNamespace'];
  const eventHubName = env['EventHubName'];
  const consumerGroup = env['EventHubConsumerGroup'];
  const problems: string[] = [];
  if (!connection && !fullyQualifiedNamespace) problems.push('EventHubConnection: a connection string, or EventHubConnection__fullyQualifiedNamespace (the ingestion window reads the hub again)');
  if (!eventHubName) problems.push('EventHubName: the hub the trigger reads');
  if (!consumerGroup) problems.push('EventHubConsumerGroup: the trigger\'s consumer group');
  const storage = env['AzureWebJobsStorage'];
  const blobServiceUri = env['AzureWebJobsStorage__blobServiceUri'] ?? (env['AzureWebJobsStorage__accountName'] ? `https://${env['AzureWebJobsStorage__accountName']}.blob.core.windows.net` : undefined);
  if (!storage && !blobServiceUri) problems.push('AzureWebJobsStorage: a connection string, or __blobServiceUri / __accountName (the ingestion window keeps its watermarks next to the checkpoints)');
  if (problems.length > 0) throw new ConfigError(problems);
  const readerGroup = env['EventHubReaderConsumerGroup'] || '$Default';
  const client = connection
    ? new EventHubConsumerClient(readerGroup, connection, eventHubName!)
    : new EventHubConsumerClient(readerGroup, fullyQualifiedNamespace!, eventHubName!, credential(env, 'EventHubConnection'));
  const blobs = storage ? BlobServiceClient.fromConnectionString(storage) : new BlobServiceClient(blobServiceUri!, credential(env, 'AzureWebJobsStorage'));
  // The namespace as the SDK names it, as the trigger's checkpoints (and every lag reader) do.
  const scope: HubScope = { fullyQualifiedNamespace: client.fullyQualifiedNamespace, eventHubName: eventHubName!, consumerGroup: consumerGroup! };
  return {
    watermarks: new BlobWatermarkStore(blobs.getContainerClient(RESOURCE_NAMES.checkpointContainer), scope),
    // On the trigger's own group a second reader is refused while the trigger reads: with the window
    // on, the app refuses that at start (readerGroupProblem); with it off, a read again is only
    // needed for a watermark a windowed run left, and then it fails, coded, saying what to set.
    replay: sameGroup(readerGroup, consumerGroup!)
      ? { read: async () => { throw new PipelineError('WRITE_BEHIND_BLOCKED', readerGroupProblem(env)!); } }
      : new EventHubPartitionReplay(client, { logger }),
    close: () => client.close(),
  };
}
