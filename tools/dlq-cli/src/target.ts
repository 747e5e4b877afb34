import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TableClient } from '@azure/data-tables';
import { EventHubProducerClient } from '@azure/event-hubs';
import { DefaultAzureCredential } from '@azure/identity';
import type { QueueClient } from '@azure/storage-queue';
import { connectStorage, StorageDeadLetterQueue, type StorageConnection } from '@telemetry/azure-storage-queue';
import { connectTable, TableParkingStore } from '@telemetry/azure-tables';
import { letterQueueNames, RESOURCE_NAMES, type StackDescriptor } from '@telemetry/contracts';
import { assertStackRunning } from '@telemetry/local-services';

/** Global options that say which deployment to act on. */
export interface TargetOptions {
  stack?: string;
  storageConnectionString?: string;
  storageAccount?: string;
  queue?: string;
  claimCheckContainer?: string;
  parkingTable?: string;
  eventHubsConnectionString?: string;
  eventHubsNamespace?: string;
  hub?: string;
}

/** The parts of `.local/stack.json` (StackDescriptor, libs/contracts) the CLI reads; older files may lack some. */
type StackFile = { [K in 'eventHubs' | 'storage' | 'queues']?: Partial<StackDescriptor[K]> };

export const DEFAULTS = { queue: RESOURCE_NAMES.deadLetterQueue, claimCheckContainer: RESOURCE_NAMES.claimCheckContainer, parkingTable: RESOURCE_NAMES.parkingTable } as const;

export interface DlqTarget {
  description: string;
  deadLetterQueue: QueueClient;
  poisonQueue: QueueClient;
  /** `<queue>-poison-poison`: poison copies the poison handler failed on. */
  poisonPoisonQueue: QueueClient;
  dlq: StorageDeadLetterQueue;
  parking: TableParkingStore;
  /** The Event Hubs producer for redrives to the hub (created on first use). */
  eventHubs(): EventHubProducerClient;
  close(): Promise<void>;
}

function readStack(file: string): StackFile | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as StackFile;
}

/**
 * When the target is the local stack's descriptor, fails fast (StackNotRunningError, one line with
 * the command to start one) if that stack has stopped, rather than an SDK's ECONNREFUSED or retries.
 */
export async function assertLocalStackRunning(options: TargetOptions, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (options.storageConnectionString ?? env['DLQ_STORAGE_CONNECTION_STRING'] ?? options.storageAccount ?? env['DLQ_STORAGE_ACCOUNT']) return;
  const file = options.stack ?? '.local/stack.json';
  const stack = readStack(path.resolve(file));
  if (stack) await assertStackRunning(file, [stack.storage?.connectionString]);
}

/**
 * Azure settings (flags, or DLQ_* environment variables) win; otherwise the local stack's
 * `.local/stack.json`. With an account name rather than a connection string, the signed-in
 * identity is used (DefaultAzureCredential: az login, managed identity).
 */
/** A refused setting, with a code for `--json` (errorJson) and a message that never quotes the value. */
export class TargetError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/**
 * Refuses what cannot be a Storage connection string before any SDK sees it (the SDK fails with
 * "Cannot read properties of undefined"): `Name=value` pairs with AccountName and AccountKey or
 * SharedAccessSignature (or endpoints with a SAS), or UseDevelopmentStorage=true. The value is
 * never echoed: it may hold a key.
 */
export function checkStorageConnectionString(connectionString: string): void {
  const pairs = connectionString.split(';').filter((p) => p.trim() !== '');
  const names = new Set<string>();
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new TargetError('STORAGE_CONNECTION_INVALID', 'the storage connection string is not one: expected Name=value pairs separated by ";" (AccountName, AccountKey, ...); the value is not shown');
    names.add(pair.slice(0, at).trim().toLowerCase());
  }
  const dev = pairs.some((p) => /^\s*usedevelopmentstorage\s*=\s*true\s*$/i.test(p));
  const keyed = names.has('accountname') && (names.has('accountkey') || names.has('sharedaccesssignature'));
  const sas = names.has('sharedaccesssignature') && (names.has('queueendpoint') || names.has('blobendpoint'));
  if (!dev && !keyed && !sas) {
    throw new TargetError('STORAGE_CONNECTION_INVALID', 'the storage connection string lacks AccountName with AccountKey or SharedAccessSignature (or UseDevelopmentStorage=true); the value is not shown');
  }
}

export function resolveTarget(options: TargetOptions, env: NodeJS.ProcessEnv = process.env): DlqTarget {
  const connectionString = options.storageConnectionString ?? env['DLQ_STORAGE_CONNECTION_STRING'];
  if (connectionString !== undefined) checkStorageConnectionString(connectionString);
  const account = options.storageAccount ?? env['DLQ_STORAGE_ACCOUNT'];
  const stackFile = path.resolve(options.stack ?? '.local/stack.json');
  const stack = connectionString || account ? undefined : readStack(stackFile);
  let storage: StorageConnection;
  let table: TableClient;
  let description: string;
  const tableName = options.parkingTable ?? env['DLQ_PARKING_TABLE'] ?? stack?.queues?.parkingTable ?? DEFAULTS.parkingTable;
  const local = connectionString ?? stack?.storage?.connectionString;
  if (local) {
    storage = { connectionString: local };
    table = connectTable({ connectionString: local }, tableName);
    description = connectionString ? 'storage connection string' : `local stack (${path.relative(process.cwd(), stackFile)})`;
  } else if (account) {
    storage = { queueServiceUri: `https://${account}.queue.core.windows.net`, blobServiceUri: `https://${account}.blob.core.windows.net` };
    table = connectTable({ tableServiceUri: `https://${account}.table.core.windows.net` }, tableName);
    description = `storage account ${account}`;
  } else {
    throw new Error(`no target: ${stackFile} not found (start the local stack with npm run dev) and no --storage-connection-string / --storage-account given`);
  }
  const queueName = options.queue ?? env['DLQ_QUEUE'] ?? stack?.queues?.deadLetter ?? DEFAULTS.queue;
  const containerName = options.claimCheckContainer ?? env['DLQ_CLAIM_CHECK_CONTAINER'] ?? stack?.queues?.claimCheckContainer ?? DEFAULTS.claimCheckContainer;
  const { queues, blobs } = connectStorage(storage);
  const container = blobs.getContainerClient(containerName);
  const deadLetterQueue = queues.getQueueClient(queueName);
  let producer: EventHubProducerClient | undefined;
  return {
    description,
    deadLetterQueue,
    poisonQueue: queues.getQueueClient(letterQueueNames(queueName).poison),
    poisonPoisonQueue: queues.getQueueClient(letterQueueNames(queueName).poisonPoison),
    dlq: new StorageDeadLetterQueue(deadLetterQueue, container),
    parking: new TableParkingStore(table, container),
    eventHubs() {
      if (producer) return producer;
      const hub = options.hub ?? env['DLQ_EVENTHUB_NAME'] ?? stack?.eventHubs?.hubName;
      const ehConnection = options.eventHubsConnectionString ?? env['DLQ_EVENTHUBS_CONNECTION_STRING'] ?? stack?.eventHubs?.connectionString;
      const namespace = options.eventHubsNamespace ?? env['DLQ_EVENTHUBS_NAMESPACE'];
      if (!hub) throw new Error('redrive to Event Hubs needs --hub (or the local stack)');
      if (ehConnection) producer = new EventHubProducerClient(ehConnection.replace(/;EntityPath=[^;]*/i, ''), hub);
      else if (namespace) producer = new EventHubProducerClient(`${namespace.replace(/^sb:\/\/|\/$/g, '')}`, hub, new DefaultAzureCredential());
      else throw new Error('redrive to Event Hubs needs --event-hubs-connection-string or --event-hubs-namespace (or the local stack)');
      return producer;
    },
    close: async () => producer?.close(),
  };
}
