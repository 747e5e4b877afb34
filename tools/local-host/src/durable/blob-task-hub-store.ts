import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import type { TaskHubStore } from './task-hub-store';

/**
 * Task hub on Azure Blob storage (Azurite locally), on the connection the Durable extension uses
 * (`AzureWebJobsStorage` unless host.json `extensions.durableTask.storageProvider.connectionStringName`
 * says otherwise): container `<hub>-localstate`, blobs `instances/<id>.json`, `entities/<@name@key>.json`.
 */
export class BlobTaskHubStore implements TaskHubStore {
  private readonly container: ContainerClient;

  constructor(connectionString: string, hubName: string) {
    this.container = BlobServiceClient.fromConnectionString(connectionString).getContainerClient(`${hubName.toLowerCase()}-localstate`);
  }

  get description(): string {
    return `blob container ${this.container.containerName}`;
  }

  async open(): Promise<void> {
    await this.container.createIfNotExists();
  }

  async loadAll<T>(prefix: string): Promise<T[]> {
    const names: string[] = [];
    for await (const blob of this.container.listBlobsFlat({ prefix })) names.push(blob.name);
    const out: T[] = [];
    // Bounded parallel reads: local task hubs are small.
    for (let i = 0; i < names.length; i += 16) {
      const chunk = await Promise.all(names.slice(i, i + 16).map(async (n) => JSON.parse((await this.container.getBlockBlobClient(n).downloadToBuffer()).toString('utf8')) as T));
      out.push(...chunk);
    }
    return out;
  }

  async put(key: string, document: unknown): Promise<void> {
    const body = JSON.stringify(document);
    await this.container.getBlockBlobClient(key).upload(body, Buffer.byteLength(body), { blobHTTPHeaders: { blobContentType: 'application/json' } });
  }

  async delete(key: string): Promise<void> {
    await this.container.getBlockBlobClient(key).deleteIfExists();
  }
}
