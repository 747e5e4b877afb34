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

@description('E-mail receiving alerts; empty = no receiver.')
param alertEmail string = ''

var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = {
  'azd-env-name': environmentName
  workload: 'device-telemetry'
}
var geoDr = !empty(secondaryLocation)
var hasWebhook = !empty(breakerWebhookUrl)
var names = {
  eventHub: 'telemetry'
  ingestionConsumerGroup: 'ingestion'
  cosmosDatabase: 'telemetry'
  cosmosContainer: 'devices'
  deadLetterQueue: 'telemetry-deadletter'
  claimCheckContainer: 'telemetry-deadletter-bodies'
  parkingTable: 'deadletterparking'
  failureTable: 'failurewindow'
}
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

// AzureWebJobsStorage of every app: checkpoints, leases, Durable task hub, deployment packages.
module hostStorage 'modules/storage.bicep' = {
  name: 'storage-host'
  params: {
    location: location
    tags: tags
    name: 'sthost${resourceToken}'
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
    queues: [names.deadLetterQueue]
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

// What every app module reads; built from module outputs, so apps deploy after their resources.
var shared = {
  location: location
  tags: tags
  resourceToken: resourceToken
  resourceGroupName: resourceGroup().name
  subscriptionId: subscription().subscriptionId
  siteNames: siteNames
  names: names
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
  }
  cosmos: {
    endpoint: cosmos.outputs.endpoint
    databaseName: names.cosmosDatabase
    containerName: names.cosmosContainer
  }
  hostStorage: {
    blobEndpoint: hostStorage.outputs.blobEndpoint
    queueEndpoint: hostStorage.outputs.queueEndpoint
    tableEndpoint: hostStorage.outputs.tableEndpoint
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
    siteUpdateStrategy: siteUpdateStrategy
  }
}

module breakerApp 'apps/circuit-breaker.bicep' = {
  name: 'circuit-breaker'
  params: {
    shared: shared
    identity: { id: identities[1].outputs.id, clientId: identities[1].outputs.clientId }
    breakerSwitch: breakerSwitch
    breakerMode: breakerMode
    hasWebhook: hasWebhook
  }
}

module reprocessorApp 'apps/dead-letter-reprocessor.bicep' = {
  name: 'dead-letter-reprocessor'
  params: {
    shared: shared
    identity: { id: identities[2].outputs.id, clientId: identities[2].outputs.clientId }
    siteUpdateStrategy: siteUpdateStrategy
  }
}

module deviceStatusApp 'apps/device-status.bicep' = {
  name: 'device-status'
  params: {
    shared: shared
    identity: { id: identities[3].outputs.id, clientId: identities[3].outputs.clientId }
    siteUpdateStrategy: siteUpdateStrategy
  }
}

module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  params: {
    principals: {
      ingestion: identities[0].outputs.principalId
      circuitBreaker: identities[1].outputs.principalId
      deadLetterReprocessor: identities[2].outputs.principalId
      deviceStatus: identities[3].outputs.principalId
    }
    eventHubsNamespaceName: eventHubs.outputs.namespaceName
    eventHubName: names.eventHub
    hostStorageName: hostStorage.outputs.name
    dataStorageName: dataStorage.outputs.name
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

module breakerStatusKeyOnBreaker 'modules/function-key.bicep' = {
  name: 'breaker-status-key'
  params: {
    siteName: breakerApp.outputs.name
    keyName: 'status-readers'
    value: breakerStatusKey
  }
}

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
