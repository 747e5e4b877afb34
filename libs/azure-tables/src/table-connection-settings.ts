// Settings only, no SDK import: an app reads (and checks) its connection settings at start without
// loading the Tables SDK, which it may load on first use.

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
