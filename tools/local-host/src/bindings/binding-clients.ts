import { CosmosClient } from '@azure/cosmos';
import { TableClient } from '@azure/data-tables';
import { EventHubProducerClient } from '@azure/event-hubs';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import type { AppSettings } from '../config/app-settings';
import { connectionString } from '../drivers/connection-setting';
import { LocalHostError } from '../errors';

const LOOPBACK = /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/i;

/**
 * SDK clients for the bindings, one per connection (and hub / table), closed with the host. The
 * binding's `connection` names a setting holding a connection string; storage bindings default to
 * AzureWebJobsStorage, as the host does. Identity-based connections need Azure AD: not supported.
 */
export class BindingClients {
  private readonly blobs = new Map<string, BlobServiceClient>();
  private readonly queues = new Map<string, QueueServiceClient>();
  private readonly cosmos = new Map<string, CosmosClient>();
  private readonly producers = new Map<string, EventHubProducerClient>();

  constructor(private readonly settings: AppSettings) {}

  storageConnection(connection: unknown, usedBy: string): string {
    return connectionString(this.settings, typeof connection === 'string' ? connection : undefined, 'AzureWebJobsStorage', usedBy);
  }

  blobService(connection: unknown, usedBy: string): BlobServiceClient {
    const value = this.storageConnection(connection, usedBy);
    let client = this.blobs.get(value);
    if (!client) this.blobs.set(value, (client = BlobServiceClient.fromConnectionString(value)));
    return client;
  }

  queueService(connection: unknown, usedBy: string): QueueServiceClient {
    const value = this.storageConnection(connection, usedBy);
    let client = this.queues.get(value);
    if (!client) this.queues.set(value, (client = QueueServiceClient.fromConnectionString(value)));
    return client;
  }

  table(connection: unknown, tableName: string, usedBy: string): TableClient {
    const value = this.storageConnection(connection, usedBy);
    // Azurite (and any http endpoint) needs allowInsecureConnection for its account key.
    return TableClient.fromConnectionString(value, tableName, { allowInsecureConnection: /DefaultEndpointsProtocol=http;|TableEndpoint=http:/i.test(value) });
  }

  /** The Cosmos extension's `connection`: a setting holding `AccountEndpoint=...;AccountKey=...;`. */
  cosmosClient(connection: unknown, usedBy: string): CosmosClient {
    if (typeof connection !== 'string' || !connection) throw new LocalHostError('SETTING_MISSING', `cosmosDB binding of ${usedBy} has no "connection"`, 'config');
    const value = connectionString(this.settings, connection, connection, usedBy);
    let client = this.cosmos.get(value);
    if (!client) {
      const endpoint = /AccountEndpoint=([^;]+)/i.exec(value)?.[1];
      const key = /AccountKey=([^;]+)/i.exec(value)?.[1];
      if (!endpoint || !key) throw new LocalHostError('SETTINGS_INVALID', `setting "${connection}" (used by ${usedBy}) is not a Cosmos DB connection string`, 'config');
      // The local Cosmos server has no regions to discover.
      client = new CosmosClient({ endpoint, key, connectionPolicy: { enableEndpointDiscovery: !LOOPBACK.test(endpoint) } });
      this.cosmos.set(value, client);
    }
    return client;
  }

  producer(connection: unknown, eventHubName: string, usedBy: string): EventHubProducerClient {
    const value = connectionString(this.settings, typeof connection === 'string' ? connection : undefined, 'EventHubConnection', usedBy);
    const key = `${value}\n${eventHubName}`;
    let client = this.producers.get(key);
    if (!client) {
      client = /;\s*EntityPath=/i.test(value) ? new EventHubProducerClient(value) : new EventHubProducerClient(value, eventHubName);
      this.producers.set(key, client);
    }
    return client;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.producers.values()].map((p) => p.close()));
    for (const c of this.cosmos.values()) c.dispose();
    this.producers.clear();
    this.cosmos.clear();
  }
}
