import { TableClient } from '@azure/data-tables';
import { azureCredential } from '@telemetry/azure-identity';
import { isLocalEmulator } from '@telemetry/core';
import type { TableConnection } from './table-connection-settings';

// No SDK retries: the product's own policies own retries (the failure counter's contention policy,
// the parking store's transient policy), and failure reporting is best effort, so a storage outage
// must cost a batch one quick failure, not the SDK's 4 tries.
const PIPELINE = { retryOptions: { maxRetries: 0 } };

/** A table client for any of the product's tables (failure window, parking). */
export function connectTable(connection: TableConnection, tableName: string): TableClient {
  if ('connectionString' in connection) {
    // Azurite serves plain HTTP on loopback; the SDK needs to be told that is intended.
    const allowInsecureConnection = isLocalEmulator(connection.connectionString);
    return TableClient.fromConnectionString(connection.connectionString, tableName, { ...PIPELINE, allowInsecureConnection });
  }
  const credential = azureCredential({ managedIdentityClientId: connection.managedIdentityClientId });
  return new TableClient(connection.tableServiceUri, tableName, credential, PIPELINE);
}
