// Every role assignment, data-plane only and scoped as tightly as the resource allows; names are
// guid(scope, principal, role) so redeployments are idempotent. Built-in role ids:
// https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
// Cosmos DB data-plane roles: https://learn.microsoft.com/azure/cosmos-db/how-to-setup-rbac
// Docs: https://learn.microsoft.com/azure/templates/microsoft.authorization/2022-04-01/roleassignments
//       https://learn.microsoft.com/azure/templates/microsoft.documentdb/2024-11-15/databaseaccounts/sqlroleassignments
@description('Principal (object) ids of the app identities: { ingestion, circuitBreaker, deadLetterReprocessor, deviceStatus }.')
param principals object
param eventHubsNamespaceName string
param eventHubName string
param hostStorageName string
param dataStorageName string
param cosmosAccountName string
param cosmosDatabaseName string
param cosmosContainerName string
param appInsightsName string
param keyVaultName string
param hasWebhookSecret bool

var role = {
  eventHubsDataReceiver: 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde'
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageBlobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageQueueDataMessageSender: 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'
  storageQueueDataReader: '19e7f393-937e-4f77-808e-94535e297925'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  storageTableDataReader: '76199698-9eea-4c19-bc75-cec21354c6b6'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
}
// Cosmos DB built-in data-plane role definitions (not Azure RBAC roles).
var cosmosDataReader = '00000000-0000-0000-0000-000000000001'
var cosmosDataContributor = '00000000-0000-0000-0000-000000000002'

var allApps = [principals.ingestion, principals.circuitBreaker, principals.deadLetterReprocessor, principals.deviceStatus]

var eventHubAssignments = [
  { principalId: principals.ingestion, roleId: role.eventHubsDataReceiver } // trigger
  { principalId: principals.deviceStatus, roleId: role.eventHubsDataReceiver } // partition ends, for lag
]
// Host account: the Functions host (leases, checkpoints, deployment package) needs Blob Data Owner;
// the Durable task hub (breaker) also needs queues and tables.
var hostStorageAssignments = concat(map(allApps, p => { principalId: p, roleId: role.storageBlobDataOwner }), [
  { principalId: principals.circuitBreaker, roleId: role.storageQueueDataContributor }
  { principalId: principals.circuitBreaker, roleId: role.storageTableDataContributor }
])
var dataStorageAssignments = [
  { principalId: principals.ingestion, roleId: role.storageQueueDataMessageSender } // dead letters
  { principalId: principals.ingestion, roleId: role.storageBlobDataContributor } // claim-check bodies
  { principalId: principals.ingestion, roleId: role.storageTableDataContributor } // failure window
  { principalId: principals.circuitBreaker, roleId: role.storageTableDataContributor } // failure window
  { principalId: principals.deadLetterReprocessor, roleId: role.storageQueueDataContributor } // trigger, -poison, re-queue
  { principalId: principals.deadLetterReprocessor, roleId: role.storageBlobDataContributor } // claim-check bodies, parked bodies
  { principalId: principals.deadLetterReprocessor, roleId: role.storageTableDataContributor } // parking table
  { principalId: principals.deviceStatus, roleId: role.storageQueueDataReader } // peek dead letters
  { principalId: principals.deviceStatus, roleId: role.storageTableDataReader } // parked letters
  { principalId: principals.deviceStatus, roleId: role.storageBlobDataReader } // claim-checked bodies in samples
]
var cosmosAssignments = [
  { principalId: principals.ingestion, roleDefinition: cosmosDataContributor }
  { principalId: principals.deadLetterReprocessor, roleDefinition: cosmosDataContributor }
  { principalId: principals.deviceStatus, roleDefinition: cosmosDataReader }
]
var secretReaders = concat([
  { principalId: principals.circuitBreaker, secret: 'breaker-approval-signing-key' }
  { principalId: principals.deadLetterReprocessor, secret: 'breaker-status-key' }
  { principalId: principals.deviceStatus, secret: 'breaker-status-key' }
], hasWebhookSecret ? [
  { principalId: principals.circuitBreaker, secret: 'breaker-webhook-url' }
] : [])

resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' existing = {
  name: eventHubsNamespaceName
  resource hub 'eventhubs' existing = {
    name: eventHubName
  }
}

resource hostStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: hostStorageName
}

resource dataStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: dataStorageName
}

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' existing = {
  name: cosmosAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource eventHubRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for a in eventHubAssignments: {
  name: guid(namespace::hub.id, a.principalId, a.roleId)
  scope: namespace::hub
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', a.roleId)
    principalId: a.principalId
    principalType: 'ServicePrincipal'
  }
}]

resource hostStorageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for a in hostStorageAssignments: {
  name: guid(hostStorage.id, a.principalId, a.roleId)
  scope: hostStorage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', a.roleId)
    principalId: a.principalId
    principalType: 'ServicePrincipal'
  }
}]

resource dataStorageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for a in dataStorageAssignments: {
  name: guid(dataStorage.id, a.principalId, a.roleId)
  scope: dataStorage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', a.roleId)
    principalId: a.principalId
    principalType: 'ServicePrincipal'
  }
}]

resource metricsPublisherRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for p in allApps: {
  name: guid(appInsights.id, p, role.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.monitoringMetricsPublisher)
    principalId: p
    principalType: 'ServicePrincipal'
  }
}]

// Scoped to the one container: an app cannot touch another database or container.
resource cosmosRoles 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = [for a in cosmosAssignments: {
  parent: cosmos
  name: guid(cosmos.id, a.principalId, a.roleDefinition)
  properties: {
    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/${a.roleDefinition}'
    principalId: a.principalId
    scope: '${cosmos.id}/dbs/${cosmosDatabaseName}/colls/${cosmosContainerName}'
  }
}]

// Per secret, not per vault: each app reads only the secrets its settings reference.
resource secrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' existing = [for a in secretReaders: {
  parent: vault
  name: a.secret
}]

resource secretRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (a, i) in secretReaders: {
  name: guid(vault.id, a.secret, a.principalId, role.keyVaultSecretsUser)
  scope: secrets[i]
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.keyVaultSecretsUser)
    principalId: a.principalId
    principalType: 'ServicePrincipal'
  }
}]
