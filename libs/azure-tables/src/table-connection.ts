import { TableClient } from '@azure/data-tables';
import { DefaultAzureCredential } from '@azure/identity';
import { isLocalEmulator } from '@telemetry/core';

/**
 * A Table storage account, reached by connection string (local: Azurite) or, in Azure, by
 * managed identity on `<NAME>__tableServiceUri` (the Functions identity-based connection convention).
 */
export type TableConnection = { connectionString: string } | { tableServiceUri: string; managedIdentityClientId?: string };

/** Reads a Functions-style connection setting: `NAME` (connection string) or `NAME__tableServiceUri` (identity). */
export function tableConnectionFromSettings(name: string, env: Record<string, string | undefined>): TableConnection | undefined {
  const connectionString = env[name];
  if (connectionString) return { connectionString };
  const tableServiceUri = env[`${name}__tableServiceUri`];
  if (tableServiceUri) return { tableServiceUri, managedIdentityClientId: env[`${name}__clientId`] ?? env['AZURE_CLIENT_ID'] };
  return undefined;
}

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
  const credential = new DefaultAzureCredential({ managedIdentityClientId: connection.managedIdentityClientId });
  return new TableClient(connection.tableServiceUri, tableName, credential, PIPELINE);
}
