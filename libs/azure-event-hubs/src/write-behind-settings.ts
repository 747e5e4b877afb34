// No SDK here: the ingestion app reads this at start, and loads the adapters only on first use.

type Env = Record<string, string | undefined>;

/** Whether the settings the write-behind's adapters read are there (they always are under a Functions host: the trigger reads them too). */
export function writeBehindSettingsPresent(env: Env): boolean {
  return Boolean(
    (env['EventHubConnection'] || env['EventHubConnection__fullyQualifiedNamespace']) && env['EventHubName'] && env['EventHubConsumerGroup'] &&
    (env['AzureWebJobsStorage'] || env['AzureWebJobsStorage__blobServiceUri'] || env['AzureWebJobsStorage__accountName']),
  );
}

export const sameGroup = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * What is wrong with the group the window reads the hub again on, or undefined: it must not be
 * the trigger's own (`EventHubConsumerGroup`), whose epoch receivers refuse a second reader.
 */
export function readerGroupProblem(env: Env): string | undefined {
  const reader = env['EventHubReaderConsumerGroup'] || '$Default';
  const trigger = env['EventHubConsumerGroup'];
  return trigger && sameGroup(reader, trigger)
    ? `EventHubReaderConsumerGroup: '${reader}' is the trigger's consumer group (EventHubConsumerGroup), whose receivers refuse a second reader; set it to another consumer group of the hub`
    : undefined;
}
