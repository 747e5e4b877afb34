import { BlobClient, ContainerClient } from '@azure/storage-blob';

/** Blob names kept (ownership and checkpoint blobs: two per partition); past this the cache starts afresh. */
const MAX_CACHED_BLOBS = 4096;

/**
 * The checkpoint container for BlobCheckpointStore, handing out one BlobClient per blob name, and
 * one BlockBlobClient per BlobClient, instead of two new clients per call. The store asks for both
 * on every checkpoint (`getBlobClient(name).getBlockBlobClient()`, once per batch), and building
 * them (URL parsing, a generated storage client each) was about a quarter of a checkpoint's CPU in
 * the host. The clients hold no per-request state (URL, pipeline, options), so the requests, and
 * the checkpoints, are those of fresh clients.
 */
export class CheckpointContainerClient extends ContainerClient {
  private readonly blobs = new Map<string, BlobClient>();

  override getBlobClient(blobName: string): BlobClient {
    let blob = this.blobs.get(blobName);
    if (!blob) {
      const created = super.getBlobClient(blobName);
      const blockBlob = created.getBlockBlobClient();
      created.getBlockBlobClient = () => blockBlob;
      if (this.blobs.size >= MAX_CACHED_BLOBS) this.blobs.clear();
      this.blobs.set(blobName, (blob = created));
    }
    return blob;
  }
}
