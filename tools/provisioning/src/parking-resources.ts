import type { TableClient } from '@azure/data-tables';
import type { ContainerClient } from '@azure/storage-blob';
import { retryTransient } from './transient';

/** Creates the parking table and the (claim-check) container if missing (local stack, tests; Bicep in Azure). */
export async function ensureParkingResources(table: TableClient, container: ContainerClient): Promise<void> {
  await Promise.all([
    retryTransient(() => table.createTable()).catch((error: unknown) => {
      if ((error as { statusCode?: number }).statusCode !== 409) throw error;
    }),
    retryTransient(() => container.createIfNotExists()),
  ]);
}
