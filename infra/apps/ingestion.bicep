// apps/ingestion: Event Hubs-triggered; folds telemetry into Cosmos DB, dead-letters to the
// data account. Settings: apps/ingestion/src/config.ts (ingestionSettingsSchema,
// CONNECTION_SETTINGS, BINDING_SETTINGS). tools/deploy-checks fails on drift either way.
//
// drift-check: not set in Azure: COSMOS_KEY (local emulator only; the managed identity is used)

@description('Shared values from main.bicep (see the `shared` variable there).')
param shared object
param identity object
@description('Host storage endpoints (the app\'s own account) and its deployment package: { storage, deployment } from main.bicep.')
param hosting object
@allowed(['Recreate', 'RollingUpdate'])
param siteUpdateStrategy string

var appSettings = {
  // Trigger binding (identity-based; the host reads these)
  EventHubConnection__fullyQualifiedNamespace: shared.eventHubs.fullyQualifiedNamespace
  EventHubConnection__credential: 'managedidentity'
  EventHubConnection__clientId: identity.clientId
  EventHubName: shared.eventHubs.hubName
  EventHubConsumerGroup: shared.eventHubs.ingestionConsumerGroup
  // Device state store
  COSMOS_ENDPOINT: shared.cosmos.endpoint
  COSMOS_DATABASE: shared.cosmos.databaseName
  COSMOS_CONTAINER: shared.cosmos.containerName
  COSMOS_REQUEST_TIMEOUT_MS: '5000'
  STORE_MAX_ATTEMPTS: '4'
  STORE_RETRY_BASE_MS: '100'
  STORE_RETRY_MAX_MS: '2000'
  STORE_CALL_TIMEOUT_MS: '5000'
  STORE_CONCURRENCY: '32'
  STORE_CACHE_SIZE: '100000'
  // Dead letters (queue + claim-check blobs on the data account)
  DeadLetterStorage__queueServiceUri: shared.dataStorage.queueEndpoint
  DeadLetterStorage__blobServiceUri: shared.dataStorage.blobEndpoint
  DeadLetterStorage__credential: 'managedidentity'
  DeadLetterStorage__clientId: identity.clientId
  DEAD_LETTER_QUEUE: shared.names.deadLetterQueue
  CLAIM_CHECK_CONTAINER: shared.names.claimCheckContainer
  DEAD_LETTER_MAX_ATTEMPTS: '5'
  // Shared failure window the breaker watches (table on the data account)
  FailureTracking__tableServiceUri: shared.dataStorage.tableEndpoint
  FailureTracking__credential: 'managedidentity'
  FailureTracking__clientId: identity.clientId
  FAILURE_TABLE: shared.names.failureTable
  // Device clocks: a timestamp more than this (s) ahead of its enqueued time is EVENT_CLOCK_SKEW
  MAX_CLOCK_SKEW_SECONDS: '300'
  // ... or more than this (s, 10 years) behind it: a clock reset to its default (2000-01-01); tighten for fleets that never buffer long
  MAX_EVENT_AGE_SECONDS: '315360000'
  // Where a device's identity comes from: 'iothub' only when IoT Hub is the hub's only sender (main.bicep deployIotHub)
  DEVICE_IDENTITY_SOURCE: shared.deviceIdentitySource
  // Ingestion window (README "Ingestion window"): 0 = none; S > 0 holds each device's events S seconds
  // and writes them once (about 1 write per 1 + S events at 1 event/s), at most 64 MB held per instance
  INGESTION_WINDOW_SECONDS: '0'
  INGESTION_WINDOW_MAX_HELD_MB: '64'
  // What the window reads again after a crash is read on this group, never the trigger's (its epoch receivers refuse a second reader)
  EventHubReaderConsumerGroup: '$Default'
}

module app '../modules/function-app.bicep' = {
  name: 'app-ingestion'
  params: {
    location: shared.location
    tags: shared.tags
    appName: 'ingestion'
    siteName: shared.siteNames.ingestion
    planName: 'plan-ingestion-${shared.resourceToken}'
    identityId: identity.id
    identityClientId: identity.clientId
    hostBlobEndpoint: hosting.storage.blobEndpoint
    hostQueueEndpoint: hosting.storage.queueEndpoint
    hostTableEndpoint: hosting.storage.tableEndpoint
    deploymentBlobEndpoint: hosting.deployment.blobEndpoint
    deploymentContainerName: hosting.deployment.containerName
    deploymentIdentityId: hosting.deployment.identityId
    appInsightsConnectionString: shared.appInsightsConnectionString
    appSettings: appSettings
    // One instance per partition at most: the trigger cannot use more.
    maximumInstanceCount: shared.eventHubs.partitionCount
    siteUpdateStrategy: siteUpdateStrategy
  }
}

output id string = app.outputs.id
output name string = app.outputs.name
output defaultHostName string = app.outputs.defaultHostName
