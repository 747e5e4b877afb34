// Settings only, no SDK import: an app reads (and checks) its connection settings at start without
// loading the storage SDKs, which it loads on first use (the dead-letter path).

/**
 * A storage account reached by connection string (local: Azurite) or, in Azure, by managed
 * identity on its service URIs (settings `<NAME>__queueServiceUri` / `<NAME>__blobServiceUri`,
 * the Functions identity-based connection convention).
 */
export type StorageConnection =
  | { connectionString: string }
  | { queueServiceUri: string; blobServiceUri: string; managedIdentityClientId?: string };

/** Reads a Functions-style connection setting: `NAME` (connection string) or `NAME__*Uri` (identity). */
export function storageConnectionFromSettings(name: string, env: Record<string, string | undefined>): StorageConnection | undefined {
  const connectionString = env[name];
  if (connectionString) return { connectionString };
  const queueServiceUri = env[`${name}__queueServiceUri`];
  const blobServiceUri = env[`${name}__blobServiceUri`];
  if (queueServiceUri && blobServiceUri) {
    return { queueServiceUri, blobServiceUri, managedIdentityClientId: env[`${name}__clientId`] ?? env['AZURE_CLIENT_ID'] };
  }
  return undefined;
}
