// apps/dead-letter-reprocessor: queue-triggered on the dead-letter queue; re-applies letters
// to Cosmos DB, parks what it cannot fix. Settings: apps/dead-letter-reprocessor/src/config.ts
// (reprocessorSettingsSchema, CONNECTION_SETTINGS, BINDING_SETTINGS).
//
// drift-check: not set in Azure: COSMOS_KEY (local emulator only; the managed identity is used)

param shared object
param identity object
@description('Host storage endpoints (the app\'s own account) and its deployment package: { storage, deployment } from main.bicep.')
param hosting object
@allowed(['Recreate', 'RollingUpdate'])
param siteUpdateStrategy string

var appSettings = {
  // Queue trigger + parking table + claim-check blobs, all on the data account
  DeadLetterStorage__queueServiceUri: shared.dataStorage.queueEndpoint
  DeadLetterStorage__blobServiceUri: shared.dataStorage.blobEndpoint
  DeadLetterStorage__tableServiceUri: shared.dataStorage.tableEndpoint
  DeadLetterStorage__credential: 'managedidentity'
  DeadLetterStorage__clientId: identity.clientId
  DEAD_LETTER_QUEUE: shared.names.deadLetterQueue
  CLAIM_CHECK_CONTAINER: shared.names.claimCheckContainer
  PARKING_TABLE: shared.names.parkingTable
  // Device state store
  COSMOS_ENDPOINT: shared.cosmos.endpoint
  COSMOS_DATABASE: shared.cosmos.databaseName
  COSMOS_CONTAINER: shared.cosmos.containerName
  COSMOS_REQUEST_TIMEOUT_MS: '5000'
  STORE_MAX_ATTEMPTS: '3'
  STORE_RETRY_BASE_MS: '200'
  STORE_RETRY_MAX_MS: '2000'
  STORE_CALL_TIMEOUT_MS: '5000'
  STORE_CONCURRENCY: '4'
  STORE_CACHE_SIZE: '10000'
  // Retry schedule before parking
  REPROCESS_MAX_ATTEMPTS: '8'
  REPROCESS_UNKNOWN_MAX_ATTEMPTS: '3'
  REPROCESS_BACKOFF_BASE_SECONDS: '30'
  REPROCESS_BACKOFF_MAX_SECONDS: '3600'
  // Hold off while the breaker is open
  BREAKER_STATUS_URL: 'https://${shared.siteNames.circuitBreaker}.azurewebsites.net/api/breaker'
  BREAKER_STATUS_KEY: '@Microsoft.KeyVault(SecretUri=${shared.keyVaultUri}secrets/breaker-status-key)'
  BREAKER_DEFER_SECONDS: '60'
  BREAKER_STATUS_CACHE_MS: '5000'
  // Device clocks: the same rule as ingestion, against each letter's enqueued time
  MAX_CLOCK_SKEW_SECONDS: '300'
  MAX_EVENT_AGE_SECONDS: '315360000'
}

module app '../modules/function-app.bicep' = {
  name: 'app-dead-letter-reprocessor'
  params: {
    location: shared.location
    tags: shared.tags
    appName: 'dead-letter-reprocessor'
    siteName: shared.siteNames.deadLetterReprocessor
    planName: 'plan-dead-letter-reprocessor-${shared.resourceToken}'
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
    // Replays are deliberately slow: a few instances keep Cosmos headroom for live ingestion.
    maximumInstanceCount: 4
    siteUpdateStrategy: siteUpdateStrategy
  }
}

output id string = app.outputs.id
output name string = app.outputs.name
output defaultHostName string = app.outputs.defaultHostName
