// Device telemetry on Azure serverless: wires one module per concern. Everything is named from
// one resourceToken. Deploy: see infra/README.md (az deployment group what-if / create).
// The Bicep compiler is not installable on the machines this repo was built on: modules are kept
// small and every property is documented for the pinned API version (links in each module).
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(20)
@description('Environment name (dev, prod, ...): part of the resource token and tags.')
param environmentName string

@description('Primary region (must offer Flex Consumption: az functionapp list-flexconsumption-locations).')
param location string = resourceGroup().location

@description('Secondary region for geo-DR. Empty (default) = single region. Set: a paired Event Hubs namespace + alias, RA-GRS data storage, and (provisioned Cosmos only) a second Cosmos region.')
param secondaryLocation string = ''

@allowed(['serverless', 'provisioned'])
param cosmosCapacityMode string = 'serverless'
@description('Provisioned mode: autoscale max RU/s of the devices container.')
param cosmosAutoscaleMaxThroughput int = 15000

@description('Event Hubs partitions: the most ingestion instances reading at once (fixed after creation on Standard).')
param eventHubPartitionCount int = 8
@description('Throughput units at deployment (1 TU = 1 MB/s or 1,000 events/s in).')
param eventHubsThroughputUnits int = 1
@description('Auto-inflate ceiling.')
param eventHubsMaximumThroughputUnits int = 4
@description('Allow SAS (key) auth on Event Hubs: only for devices that cannot use Entra ID. Apps never use keys.')
param eventHubsLocalAuthEnabled bool = false

@allowed(['Recreate', 'RollingUpdate'])
@description('Site update strategy of the stateless apps (ingestion, reprocessor, device-status); the Durable breaker always uses Recreate.')
param siteUpdateStrategy string = 'RollingUpdate'

@allowed(['arm-app', 'arm-function'])
param breakerSwitch string = 'arm-app'
@allowed(['manual', 'auto-probe'])
param breakerMode string = 'manual'

@secure()
@minLength(32)
@description('Signs the breaker\'s approval links (stored in Key Vault). Generate: openssl rand -base64 48')
param breakerApprovalSigningKey string
@secure()
@minLength(32)
@description('Host function key other apps use for GET /api/breaker (stored in Key Vault). Generate: openssl rand -hex 32')
param breakerStatusKey string
@secure()
@description('Optional incoming-webhook URL for breaker notices (stored in Key Vault). Empty = notices are only logged.')
param breakerWebhookUrl string = ''

@description('Entra app registration (client id) operators sign in to on the breaker\'s approval pages (App Service Authentication). Empty = authentication off: approvals are recorded as unauthenticated.')
param breakerAuthClientId string = ''
@description('Tenant of that app registration.')
param breakerAuthTenantId string = subscription().tenantId
@description('Object ids (users or groups) allowed to sign in and approve a resume; others get 403 from the platform.')
param breakerOperatorObjectIds array = []

@description('Operators e-mailed on a breaker trip with the signed resume link (comma-separated), through Azure Communication Services Email; empty = no e-mail (the webhook, when set, still goes).')
param breakerEmailRecipients string = ''
@description('Where Communication Services keeps e-mail data at rest (its data location).')
param communicationDataLocation string = 'United States'

@description('E-mail receiving alerts; empty = no receiver.')
param alertEmail string = ''
@description('Event Hubs retention in days (Standard: 1-7); the time-to-data-loss alert counts down from it.')
@minValue(1)
@maxValue(7)
param eventHubRetentionDays int = 1
@description('Alert when a partition\'s time to data loss drops below this many hours (default: half the retention or 12 h, whichever is smaller).')
@minValue(1)
param dataLossMarginHours int = min(eventHubRetentionDays * 12, 12)

@description('Put an IoT Hub in front (issue 22; docs/iot-hub-mode.md): devices authenticate to it, it routes their telemetry to the telemetry hub with its own identity, and ingestion takes the device id IoT Hub authenticated (DEVICE_IDENTITY_SOURCE=iothub).')
param deployIotHub bool = false

var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = {
  'azd-env-name': environmentName
  workload: 'device-telemetry'
}
var geoDr = !empty(secondaryLocation)
var hasWebhook = !empty(breakerWebhookUrl)
// IoT Hub's properties are trusted only while IoT Hub is the hub's only possible sender: with SAS
// (local auth) on, anyone holding a key could set them, so ingestion stays in body mode.
var deviceIdentitySource = deployIotHub && !eventHubsLocalAuthEnabled ? 'iothub' : 'body'
var names = {
  eventHub: 'telemetry'
  ingestionConsumerGroup: 'ingestion'
  cosmosDatabase: 'telemetry'
  cosmosContainer: 'devices'
  deadLetterQueue: 'telemetry-deadletter'
  claimCheckContainer: 'telemetry-deadletter-bodies'
  parkingTable: 'deadletterparking'
  failureTable: 'failurewindow'
  // apps/circuit-breaker/host.json extensions.durableTask.hubName
  taskHub: 'TelemetryBreaker'
  // The blob container the Functions host keeps Event Hubs trigger checkpoints in (device-status reads it for lag).
  checkpointContainer: 'azure-webjobs-eventhub'
}
// The Functions host's own containers on AzureWebJobsStorage: host locks/leases and timer state,
// and the host keys (secret storage type blob).
var hostContainers = ['azure-webjobs-hosts', 'azure-webjobs-secrets']
// The Durable Task Azure Storage provider's containers for the breaker's task hub (lease blobs,
// the app lease, large messages); its queues and tables are created at run time by name and
// partition count (see modules/rbac.bicep).
var taskHubContainers = ['${toLower(names.taskHub)}-leases', '${toLower(names.taskHub)}-applease', '${toLower(names.taskHub)}-largemessages']
var siteNames = {
  ingestion: 'func-ingestion-${resourceToken}'
  circuitBreaker: 'func-circuit-breaker-${resourceToken}'
  deadLetterReprocessor: 'func-dead-letter-reprocessor-${resourceToken}'
  deviceStatus: 'func-device-status-${resourceToken}'
}
var apps = ['ingestion', 'circuit-breaker', 'dead-letter-reprocessor', 'device-status']

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    tags: tags
    logAnalyticsName: 'log-${resourceToken}'
    appInsightsName: 'appi-${resourceToken}'
  }
}

module identities 'modules/identity.bicep' = [for app in apps: {
  name: 'identity-${app}'
  params: {
    location: location
    tags: tags
    name: 'id-${app}-${resourceToken}'
  }
}]

// The identity the platform uses for each app's deployment package (and nothing else).
module deployIdentities 'modules/identity.bicep' = [for app in apps: {
  name: 'identity-deploy-${app}'
  params: {
    location: location
    tags: tags
    name: 'id-${app}-deploy-${resourceToken}'
  }
}]

module eventHubs 'modules/event-hubs.bicep' = {
  name: 'event-hubs'
  params: {
    location: location
    tags: tags
    namespaceName: 'evhns-${resourceToken}'
    hubName: names.eventHub
    consumerGroupName: names.ingestionConsumerGroup
    partitionCount: eventHubPartitionCount
    throughputUnits: eventHubsThroughputUnits
    maximumThroughputUnits: eventHubsMaximumThroughputUnits
    localAuthEnabled: eventHubsLocalAuthEnabled
    messageRetentionInDays: eventHubRetentionDays
  }
}

module eventHubsSecondary 'modules/event-hubs.bicep' = if (geoDr) {
  name: 'event-hubs-secondary'
  params: {
    location: geoDr ? secondaryLocation : location
    tags: tags
    namespaceName: 'evhns-${resourceToken}-dr'
    throughputUnits: eventHubsThroughputUnits
    maximumThroughputUnits: eventHubsMaximumThroughputUnits
    localAuthEnabled: eventHubsLocalAuthEnabled
  }
}

module eventHubsGeoDr 'modules/event-hubs-geo-dr.bicep' = if (geoDr) {
  name: 'event-hubs-geo-dr'
  params: {
    primaryNamespaceName: eventHubs.outputs.namespaceName
    secondaryNamespaceId: geoDr ? eventHubsSecondary.outputs.namespaceId : ''
    aliasName: 'evh-${resourceToken}'
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: {
    location: location
    tags: tags
    accountName: 'cosno-${resourceToken}'
    databaseName: names.cosmosDatabase
    containerName: names.cosmosContainer
    capacityMode: cosmosCapacityMode
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
    secondaryLocation: secondaryLocation
  }
}

// AzureWebJobsStorage: one account per app (same order as `apps`), so no app can reach another's
// host keys, locks, checkpoints or task hub. Deployment packages live apart (deployStorage).
var hostAccounts = [
  { app: 'ingestion', name: 'sthing${resourceToken}', containers: concat(hostContainers, [names.checkpointContainer]) }
  { app: 'circuit-breaker', name: 'sthbrk${resourceToken}', containers: concat(hostContainers, taskHubContainers) }
  { app: 'dead-letter-reprocessor', name: 'sthdlr${resourceToken}', containers: hostContainers }
  { app: 'device-status', name: 'sthdst${resourceToken}', containers: hostContainers }
]
module hostStorage 'modules/storage.bicep' = [for h in hostAccounts: {
  name: 'storage-host-${h.app}'
  params: {
    location: location
    tags: tags
    name: h.name
    skuName: 'Standard_LRS'
    containers: h.containers
  }
}]

// Flex Consumption deployment packages: one container per app, written only by that app's deploy
// identity (the platform uses it for `az functionapp deploy` and to fetch the package).
module deployStorage 'modules/storage.bicep' = {
  name: 'storage-deploy'
  params: {
    location: location
    tags: tags
    name: 'stdeploy${resourceToken}'
    skuName: 'Standard_LRS'
    containers: [for app in apps: 'app-package-${app}']
  }
}

// Dead letters, claim-check bodies, parking and the failure window: geo-redundant with geo-DR.
module dataStorage 'modules/storage.bicep' = {
  name: 'storage-data'
  params: {
    location: location
    tags: tags
    name: 'stdata${resourceToken}'
    skuName: geoDr ? 'Standard_RAGRS' : 'Standard_LRS'
    // The dead-letter queue, the queue the host moves poison letters to, and the poison queue of
    // the reprocessor's poison drain (created here so each can be granted on its own).
    queues: [names.deadLetterQueue, '${names.deadLetterQueue}-poison', '${names.deadLetterQueue}-poison-poison']
    containers: [names.claimCheckContainer]
    tables: [names.parkingTable, names.failureTable]
  }
}

// apps/dashboard: static files in the $web container (static website switched on by the pipeline:
// it is a data-plane setting, not an ARM property).
module webStorage 'modules/storage.bicep' = {
  name: 'storage-web'
  params: {
    location: location
    tags: tags
    name: 'stweb${resourceToken}'
    skuName: 'Standard_LRS'
  }
}

module keyVault 'modules/key-vault.bicep' = {
  name: 'key-vault'
  params: {
    location: location
    tags: tags
    name: 'kv-${resourceToken}'
    secrets: {
      'breaker-approval-signing-key': breakerApprovalSigningKey
      'breaker-status-key': breakerStatusKey
      'breaker-webhook-url': breakerWebhookUrl
    }
  }
}

module iotHub 'modules/iot-hub.bicep' = if (deployIotHub) {
  name: 'iot-hub'
  params: {
    location: location
    tags: tags
    name: 'iot-${resourceToken}'
    eventHubsNamespaceName: eventHubs.outputs.namespaceName
    eventHubName: names.eventHub
  }
}

// What every app module reads; built from module outputs, so apps deploy after their resources.
var shared = {
  location: location
  tags: tags
  resourceToken: resourceToken
  resourceGroupName: resourceGroup().name
  subscriptionId: subscription().subscriptionId
  siteNames: siteNames
  names: names
  // apps/ingestion DEVICE_IDENTITY_SOURCE
  deviceIdentitySource: deviceIdentitySource
  appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
  keyVaultUri: keyVault.outputs.uri
  // Without the trailing slash: a browser Origin header has none.
  dashboardOrigin: take(webStorage.outputs.webEndpoint, length(webStorage.outputs.webEndpoint) - 1)
  eventHubs: {
    // Apps read the primary namespace directly, not the geo-DR alias: trigger checkpoints are
    // offsets of one namespace (see infra/README.md, "Switching regions").
    fullyQualifiedNamespace: eventHubs.outputs.fullyQualifiedNamespace
    hubName: names.eventHub
    ingestionConsumerGroup: names.ingestionConsumerGroup
    partitionCount: eventHubPartitionCount
    // The hub's retention (event-hubs.bicep messageRetentionInDays): device-status counts time to data loss down from it.
    retentionHours: eventHubRetentionDays * 24
  }
  cosmos: {
    endpoint: cosmos.outputs.endpoint
    databaseName: names.cosmosDatabase
    containerName: names.cosmosContainer
  }
  // Where the ingestion trigger keeps its checkpoints (ingestion's host account): device-status reads them for lag.
  ingestionCheckpoints: {
    blobEndpoint: hostStorage[0].outputs.blobEndpoint
    containerName: names.checkpointContainer
  }
  dataStorage: {
    blobEndpoint: dataStorage.outputs.blobEndpoint
    queueEndpoint: dataStorage.outputs.queueEndpoint
    tableEndpoint: dataStorage.outputs.tableEndpoint
  }
}

module ingestionApp 'apps/ingestion.bicep' = {
  name: 'ingestion'
  params: {
    shared: shared
    identity: { id: identities[0].outputs.id, clientId: identities[0].outputs.clientId }
    hosting: {
      storage: { blobEndpoint: hostStorage[0].outputs.blobEndpoint, queueEndpoint: hostStorage[0].outputs.queueEndpoint, tableEndpoint: hostStorage[0].outputs.tableEndpoint }
      deployment: { blobEndpoint: deployStorage.outputs.blobEndpoint, containerName: 'app-package-ingestion', identityId: deployIdentities[0].outputs.id }
    }
    siteUpdateStrategy: siteUpdateStrategy
  }
}

module breakerApp 'apps/circuit-breaker.bicep' = {
  name: 'circuit-breaker'
  params: {
    shared: shared
    identity: { id: identities[1].outputs.id, clientId: identities[1].outputs.clientId }
    hosting: {
      storage: { blobEndpoint: hostStorage[1].outputs.blobEndpoint, queueEndpoint: hostStorage[1].outputs.queueEndpoint, tableEndpoint: hostStorage[1].outputs.tableEndpoint }
      deployment: { blobEndpoint: deployStorage.outputs.blobEndpoint, containerName: 'app-package-circuit-breaker', identityId: deployIdentities[1].outputs.id }
    }
    breakerSwitch: breakerSwitch
    breakerMode: breakerMode
    hasWebhook: hasWebhook
    email: {
      endpoint: communication.outputs.endpoint
      sender: communication.outputs.senderAddress
      recipients: breakerEmailRecipients
    }
    operatorAuth: {
      clientId: breakerAuthClientId
      tenantId: breakerAuthTenantId
      operatorObjectIds: breakerOperatorObjectIds
    }
  }
}

module reprocessorApp 'apps/dead-letter-reprocessor.bicep' = {
  name: 'dead-letter-reprocessor'
  params: {
    shared: shared
    identity: { id: identities[2].outputs.id, clientId: identities[2].outputs.clientId }
    hosting: {
      storage: { blobEndpoint: hostStorage[2].outputs.blobEndpoint, queueEndpoint: hostStorage[2].outputs.queueEndpoint, tableEndpoint: hostStorage[2].outputs.tableEndpoint }
      deployment: { blobEndpoint: deployStorage.outputs.blobEndpoint, containerName: 'app-package-dead-letter-reprocessor', identityId: deployIdentities[2].outputs.id }
    }
    siteUpdateStrategy: siteUpdateStrategy
  }
}

module deviceStatusApp 'apps/device-status.bicep' = {
  name: 'device-status'
  params: {
    shared: shared
    identity: { id: identities[3].outputs.id, clientId: identities[3].outputs.clientId }
    hosting: {
      storage: { blobEndpoint: hostStorage[3].outputs.blobEndpoint, queueEndpoint: hostStorage[3].outputs.queueEndpoint, tableEndpoint: hostStorage[3].outputs.tableEndpoint }
      deployment: { blobEndpoint: deployStorage.outputs.blobEndpoint, containerName: 'app-package-device-status', identityId: deployIdentities[3].outputs.id }
    }
    siteUpdateStrategy: siteUpdateStrategy
  }
}

module communication 'modules/communication.bicep' = {
  name: 'communication'
  params: {
    tags: tags
    resourceToken: resourceToken
    dataLocation: communicationDataLocation
    senderPrincipalId: identities[1].outputs.principalId
  }
}

module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  params: {
    // Runtime identities (the apps' code and host) and deploy identities (packages only), by Nx project name.
    principals: {
      ingestion: identities[0].outputs.principalId
      'circuit-breaker': identities[1].outputs.principalId
      'dead-letter-reprocessor': identities[2].outputs.principalId
      'device-status': identities[3].outputs.principalId
      'deploy:ingestion': deployIdentities[0].outputs.principalId
      'deploy:circuit-breaker': deployIdentities[1].outputs.principalId
      'deploy:dead-letter-reprocessor': deployIdentities[2].outputs.principalId
      'deploy:device-status': deployIdentities[3].outputs.principalId
    }
    storageAccounts: {
      'host:ingestion': hostStorage[0].outputs.name
      'host:circuit-breaker': hostStorage[1].outputs.name
      'host:dead-letter-reprocessor': hostStorage[2].outputs.name
      'host:device-status': hostStorage[3].outputs.name
      data: dataStorage.outputs.name
      deploy: deployStorage.outputs.name
    }
    names: names
    eventHubsNamespaceName: eventHubs.outputs.namespaceName
    eventHubName: names.eventHub
    cosmosAccountName: cosmos.outputs.accountName
    cosmosDatabaseName: names.cosmosDatabase
    cosmosContainerName: names.cosmosContainer
    appInsightsName: monitoring.outputs.appInsightsName
    keyVaultName: keyVault.outputs.name
    hasWebhookSecret: hasWebhook
  }
}

module breakerSwitchRole 'modules/breaker-switch-role.bicep' = {
  name: 'breaker-switch-role'
  params: {
    ingestionSiteName: ingestionApp.outputs.name
    breakerPrincipalId: identities[1].outputs.principalId
    breakerSwitch: breakerSwitch
  }
}

// The reprocessor's breaker key (Key Vault's breaker-status-key) is a key of the breakerStatus
// function alone. Function keys can only be set once the app's code is deployed (the host's keys
// API answers 404 for a function it has not indexed), so the pipeline sets it after the breaker's
// deploy (azure-pipelines.yml, `az functionapp function keys set`); see infra/README.md.

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    location: location
    tags: tags
    resourceToken: resourceToken
    eventHubsNamespaceId: eventHubs.outputs.namespaceId
    eventHubName: names.eventHub
    dataStorageId: dataStorage.outputs.id
    appInsightsId: monitoring.outputs.appInsightsId
    alertEmail: alertEmail
    eventHubRetentionHours: eventHubRetentionDays * 24
    dataLossMarginHours: dataLossMarginHours
  }
}

module workbook 'modules/workbook.bicep' = {
  name: 'workbook'
  params: {
    location: location
    tags: tags
    resourceToken: resourceToken
    appInsightsId: monitoring.outputs.appInsightsId
    eventHubsNamespaceId: eventHubs.outputs.namespaceId
  }
}

output resourceToken string = resourceToken
// Nx project name -> function app name; the pipeline deploys each app with this map.
output functionApps object = {
  ingestion: ingestionApp.outputs.name
  'circuit-breaker': breakerApp.outputs.name
  'dead-letter-reprocessor': reprocessorApp.outputs.name
  'device-status': deviceStatusApp.outputs.name
}
output functionAppHostNames object = {
  ingestion: ingestionApp.outputs.defaultHostName
  'circuit-breaker': breakerApp.outputs.defaultHostName
  'dead-letter-reprocessor': reprocessorApp.outputs.defaultHostName
  'device-status': deviceStatusApp.outputs.defaultHostName
}
// Where the pipeline uploads apps/dashboard (static website, $web container).
output dashboardStorageAccount string = webStorage.outputs.name
output dashboardUrl string = webStorage.outputs.webEndpoint
output eventHubsNamespace string = eventHubs.outputs.fullyQualifiedNamespace
output eventHubsGeoDrAlias string = geoDr ? eventHubsGeoDr.outputs.aliasFullyQualifiedNamespace : ''
output cosmosEndpoint string = cosmos.outputs.endpoint
output iotHubHostName string = deployIotHub ? iotHub.outputs.hostName : ''
