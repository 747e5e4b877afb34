// No SDK here: the ingestion app reads this at start, and loads the adapters only on first use.

type Env = Record<string, string | undefined>;

/** Whether the settings the write-behind's adapters read are there (they always are under a Functions host: the trigger reads them too). */
export function writeBehindSettingsPresent(env: Env): boolean {
  return Boolean(
    (env['EventHubConnection'] || env['EventHubConnection__fullyQualifiedNamespace']) && env['EventHubName'] && env['EventHubConsumerGroup'] &&
    (env['AzureWebJobsStorage'] || env['AzureWebJobsStorage__blobServiceUri'] || env['AzureWebJobsStorage__accountName']),
  );
}
