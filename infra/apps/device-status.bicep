// apps/device-status: HTTP read API over the device documents, plus the ops summary (ingestion
// lag, dead letters, parked letters, breaker state). Settings: apps/device-status/src/config.ts
// (deviceStatusSettingsSchema, CONNECTION_SETTINGS).
//
// drift-check: not set in Azure: COSMOS_KEY (local emulator only; the managed identity is used)

param shared object
param identity object
@description('Host storage endpoints (the app\'s own account) and its deployment package: { storage, deployment } from main.bicep.')
param hosting object
@allowed(['Recreate', 'RollingUpdate'])
param siteUpdateStrategy string

var appSettings = {
  // Device documents (read only: Cosmos DB Built-in Data Reader)
  COSMOS_ENDPOINT: shared.cosmos.endpoint
  COSMOS_DATABASE: shared.cosmos.databaseName
  COSMOS_CONTAINER: shared.cosmos.containerName
  COSMOS_REQUEST_TIMEOUT_MS: '5000'
  COSMOS_CALL_TIMEOUT_MS: '3000'
  // Ingestion lag: partition ends (Event Hubs) against the trigger's checkpoints (host account)
  EventHubConnection__fullyQualifiedNamespace: shared.eventHubs.fullyQualifiedNamespace
  EventHubConnection__credential: 'managedidentity'
  EventHubConnection__clientId: identity.clientId
  EventHubName: shared.eventHubs.hubName
  EventHubConsumerGroup: shared.eventHubs.ingestionConsumerGroup
  // Time to data loss counts down from the hub's retention (main.bicep eventHubRetentionDays x 24)
  EVENT_HUB_RETENTION_HOURS: string(shared.eventHubs.retentionHours)
  IngestionCheckpointStorage__blobServiceUri: shared.ingestionCheckpoints.blobEndpoint
  IngestionCheckpointStorage__credential: 'managedidentity'
  IngestionCheckpointStorage__clientId: identity.clientId
  // Dead letters and parked letters (data account)
  DeadLetterStorage__queueServiceUri: shared.dataStorage.queueEndpoint
  DeadLetterStorage__blobServiceUri: shared.dataStorage.blobEndpoint
  DeadLetterStorage__credential: 'managedidentity'
  DeadLetterStorage__clientId: identity.clientId
  DEAD_LETTER_QUEUE: shared.names.deadLetterQueue
  DEAD_LETTER_SAMPLE: '32'
  ParkedStorage__tableServiceUri: shared.dataStorage.tableEndpoint
  ParkedStorage__credential: 'managedidentity'
  ParkedStorage__clientId: identity.clientId
  PARKING_TABLE: shared.names.parkingTable
  // Breaker state: its anonymous summary. device-status holds none of the breaker's keys and never
  // its approval link (issue 13 item 6): the dashboard sends operators to the breaker's approval page.
  BREAKER_SUMMARY_URL: 'https://${shared.siteNames.circuitBreaker}.azurewebsites.net/api/breaker/summary'
  OPS_PROBE_TIMEOUT_MS: '4000'
}

module app '../modules/function-app.bicep' = {
  name: 'app-device-status'
  params: {
    location: shared.location
    tags: shared.tags
    appName: 'device-status'
    siteName: shared.siteNames.deviceStatus
    planName: 'plan-device-status-${shared.resourceToken}'
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
    maximumInstanceCount: 10
    siteUpdateStrategy: siteUpdateStrategy
    // The dashboard (apps/dashboard) is a static site on another origin.
    corsAllowedOrigins: [shared.dashboardOrigin]
  }
}

output id string = app.outputs.id
output name string = app.outputs.name
output defaultHostName string = app.outputs.defaultHostName
