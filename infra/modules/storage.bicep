// One storage account with the queues, blob containers and tables it is given. Shared-key
// access is off: every client uses Entra ID (identity-based connections, rbac.bicep).
// Used twice by main.bicep: "host" (AzureWebJobsStorage: Event Hubs checkpoints, Durable task
// hub, Flex deployment packages) and "data" (dead letters, claim-check blobs, parking, failure
// window), which can be geo-redundant on its own.
// Docs: https://learn.microsoft.com/azure/templates/microsoft.storage/2023-05-01/storageaccounts
//       https://learn.microsoft.com/azure/templates/microsoft.storage/2023-05-01/storageaccounts/queueservices/queues
//       https://learn.microsoft.com/azure/templates/microsoft.storage/2023-05-01/storageaccounts/blobservices/containers
//       https://learn.microsoft.com/azure/templates/microsoft.storage/2023-05-01/storageaccounts/tableservices/tables
param location string
param tags object
param name string
@allowed(['Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_RAGRS', 'Standard_GZRS', 'Standard_RAGZRS'])
param skuName string = 'Standard_LRS'
param queues array = []
param containers array = []
param tables array = []

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: skuName }
  properties: {
    accessTier: 'Hot'
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource blobContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for c in containers: {
  parent: blobService
  name: c
  properties: { publicAccess: 'None' }
}]

resource storageQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for q in queues: {
  parent: queueService
  name: q
}]

resource storageTables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [for t in tables: {
  parent: tableService
  name: t
}]

output id string = account.id
output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output tableEndpoint string = account.properties.primaryEndpoints.table
// Static website endpoint (serves the $web container once static website hosting is switched on).
output webEndpoint string = account.properties.primaryEndpoints.web
