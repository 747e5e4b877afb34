import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { EventHubConsumerClient } from '@azure/event-hubs';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { DEFAULT_RETENTION_HOURS } from '@telemetry/azure-event-hubs';
import { RESOURCE_NAMES, type StackDescriptor } from '@telemetry/contracts';
import { assertStackRunning } from '@telemetry/local-services';

/** Global options: which deployment to act on. */
export interface TargetOptions {
  stack: string;
  namespace?: string;
  storageAccount?: string;
  hub?: string;
  consumerGroup?: string;
  readerGroup: string;
  breakerUrl?: string;
  retentionHours?: string;
}

export interface CheckpointTarget {
  description: string;
  consumerGroup: string;
  /** On the ingestion consumer group: partition properties and checkpoint names. */
  client: EventHubConsumerClient;
  /** On another consumer group: reads events (ingestion's epoch receivers refuse a second reader). */
  reader: EventHubConsumerClient;
  container: ContainerClient;
  checkpoints: BlobCheckpointStore;
  retentionHours: number;
  retentionSource: 'setting' | 'default';
  /** The breaker's base URL and a function key (for `POST /api/breaker/trip`), when known. */
  breaker?: { baseUrl: string; key?: string; bearerToken?: string };
  close(): Promise<void>;
}

type StackFile = Partial<Pick<StackDescriptor, 'eventHubs' | 'storage' | 'apps'>>;

/**
 * In Azure (`--namespace` and `--storage-account`) with the signed-in identity (DefaultAzureCredential:
 * az login, managed identity): it needs Event Hubs Data Receiver on the hub and Storage Blob Data
 * Contributor on the checkpoint container. Otherwise the local stack's `.local/stack.json`.
 * The breaker key comes from BREAKER_FUNCTION_KEY, an operator's token (operator sign-in on) from
 * BREAKER_BEARER_TOKEN, never a flag (shell history).
 */
export function resolveTarget(options: TargetOptions, env: NodeJS.ProcessEnv = process.env): CheckpointTarget {
  const given = options.retentionHours ?? env['EVENT_HUB_RETENTION_HOURS'];
  const retentionHours = Number(given ?? DEFAULT_RETENTION_HOURS);
  if (!Number.isFinite(retentionHours) || retentionHours <= 0) throw new Error(`retention: a positive number of hours, got '${given}'`);
  if (options.namespace || options.storageAccount) {
    if (!options.namespace || !options.storageAccount || !options.hub) throw new Error('in Azure, give --namespace, --storage-account and --hub');
    const credential = new DefaultAzureCredential();
    const fqdn = options.namespace.includes('.') ? options.namespace : `${options.namespace}.servicebus.windows.net`;
    const consumerGroup = options.consumerGroup ?? 'ingestion';
    const blobs = new BlobServiceClient(`https://${options.storageAccount}.blob.core.windows.net`, credential);
    const container = blobs.getContainerClient(RESOURCE_NAMES.checkpointContainer);
    const client = new EventHubConsumerClient(consumerGroup, fqdn, options.hub, credential);
    const reader = new EventHubConsumerClient(options.readerGroup, fqdn, options.hub, credential);
    const breaker = options.breakerUrl ? { baseUrl: options.breakerUrl, key: env['BREAKER_FUNCTION_KEY'], bearerToken: env['BREAKER_BEARER_TOKEN'] } : undefined;
    return target(given ? 'setting' : 'default', `${fqdn}/${options.hub} (${consumerGroup})`, consumerGroup, client, reader, container, retentionHours, breaker);
  }
  const file = path.resolve(options.stack);
  if (!existsSync(file)) throw new Error(`no ${options.stack}: start the local stack (npm start), or give --namespace and --storage-account`);
  const stack = readStackFile(file, options.stack);
  const hub = options.hub ?? stack.eventHubs.hubName;
  const consumerGroup = options.consumerGroup ?? stack.eventHubs.consumerGroup;
  const container = BlobServiceClient.fromConnectionString(stack.storage.connectionString).getContainerClient(RESOURCE_NAMES.checkpointContainer);
  const client = new EventHubConsumerClient(consumerGroup, stack.eventHubs.connectionString, hub);
  const reader = new EventHubConsumerClient(options.readerGroup, stack.eventHubs.connectionString, hub);
  const app = stack.apps?.['circuit-breaker'];
  const breakerUrl = options.breakerUrl ?? app?.baseUrl;
  const breaker = breakerUrl ? { baseUrl: breakerUrl, key: env['BREAKER_FUNCTION_KEY'] ?? app?.functionKey } : undefined;
  return target(given ? 'setting' : 'default', `local stack ${hub} (${consumerGroup})`, consumerGroup, client, reader, container, retentionHours, breaker);
}

function readStackFile(file: string, given: string): StackFile & Required<Pick<StackFile, 'eventHubs' | 'storage'>> {
  const stack = JSON.parse(readFileSync(file, 'utf8')) as StackFile;
  if (!stack.eventHubs || !stack.storage) throw new Error(`${given} has no eventHubs/storage section`);
  return stack as StackFile & Required<Pick<StackFile, 'eventHubs' | 'storage'>>;
}

/**
 * On the local stack: fails at once (StackNotRunningError) when its descriptor names services that
 * no longer answer, rather than after the SDKs' minutes of retries ending in ECONNREFUSED.
 */
export async function assertTargetReachable(options: TargetOptions): Promise<void> {
  if (options.namespace || options.storageAccount) return;
  const file = path.resolve(options.stack);
  if (!existsSync(file)) return; // resolveTarget says what to do
  const stack = readStackFile(file, options.stack);
  await assertStackRunning(options.stack, [stack.eventHubs.connectionString, stack.storage.connectionString]);
}

function target(
  retentionSource: 'setting' | 'default',
  description: string, consumerGroup: string, client: EventHubConsumerClient, reader: EventHubConsumerClient,
  container: ContainerClient, retentionHours: number, breaker: CheckpointTarget['breaker'],
): CheckpointTarget {
  return {
    description, consumerGroup, client, reader, container, checkpoints: new BlobCheckpointStore(container), retentionHours, retentionSource,
    ...(breaker ? { breaker } : {}),
    close: async () => { await Promise.all([client.close(), reader.close()]); },
  };
}
