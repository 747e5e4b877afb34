import type { ContainerClient } from '@azure/storage-blob';
import type { QueueClient } from '@azure/storage-queue';
import { retryTransient } from './transient';

/** Creates the queue and claim-check container if missing (local stack and tests; Bicep in Azure). */
export async function ensureDeadLetterResources(queue: QueueClient, container: ContainerClient): Promise<void> {
  await Promise.all([retryTransient(() => queue.createIfNotExists()), retryTransient(() => container.createIfNotExists())]);
}
