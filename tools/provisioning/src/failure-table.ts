import type { TableClient } from '@azure/data-tables';
import { retryTransient } from './transient';

/** Creates the table if missing (local stack and tests; Bicep in Azure). */
export async function ensureFailureTable(table: TableClient): Promise<void> {
  await retryTransient(() => table.createTable());
}
