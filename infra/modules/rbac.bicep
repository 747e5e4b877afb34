// Every role assignment, data-plane only and scoped as tightly as the resource allows (storage:
// one container, queue or table); names are
// guid(scope, principal, role) so redeployments are idempotent. Built-in role ids:
// https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
// Cosmos DB data-plane roles: https://learn.microsoft.com/azure/cosmos-db/how-to-setup-rbac
// Docs: https://learn.microsoft.com/azure/templates/microsoft.authorization/2022-04-01/roleassignments
//       https://learn.microsoft.com/azure/templates/microsoft.documentdb/2024-11-15/databaseaccounts/sqlroleassignments
@description('Principal (object) ids by Nx project name: the runtime identities (ingestion, circuit-breaker, dead-letter-reprocessor, device-status) and the deploy identities (deploy:<app>).')
param principals object
@description('Storage account names: host:<app> (each app\'s AzureWebJobsStorage), data, deploy.')
param storageAccounts object
@description('Resource names from main.bicep (queues, containers, tables, task hub).')
param names object
param eventHubsNamespaceName string
param eventHubName string
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

var runtimeApps = ['ingestion', 'circuit-breaker', 'dead-letter-reprocessor', 'device-status']
var taskHub = toLower(names.taskHub)

var eventHubAssignments = [
  { principalId: principals.ingestion, roleId: role.eventHubsDataReceiver } // trigger
  { principalId: principals['device-status'], roleId: role.eventHubsDataReceiver } // partition ends, for lag
]

// Every storage grant: who (identity), what (role), where (account + one container, queue or table;
// `account` scope only for queue/table roles on the app's own host account, where names are made
// at run time). Least privilege, from what each app's code and host use:
// infra/checks/src/storage-grants.spec.ts asserts this table and how it is applied below.
var storageGrants = [
  // ingestion: its host (locks, keys) and the Event Hubs trigger's checkpoints on its own host account
  { identity: 'ingestion', account: 'host:ingestion', container: 'azure-webjobs-hosts', role: 'storageBlobDataOwner' }
  { identity: 'ingestion', account: 'host:ingestion', container: 'azure-webjobs-secrets', role: 'storageBlobDataOwner' }
  { identity: 'ingestion', account: 'host:ingestion', container: names.checkpointContainer, role: 'storageBlobDataOwner' }
  // Every app, on its own host account: the host's diagnostic events tables
  // (AzureFunctionsDiagnosticEvents<yyyyMM>, a new one each month, so not grantable by name).
  { identity: 'ingestion', account: 'host:ingestion', scope: 'account', role: 'storageTableDataContributor' }
  // ingestion: dead letters (send only), their claim-check bodies, the shared failure window
  { identity: 'ingestion', account: 'data', queue: names.deadLetterQueue, role: 'storageQueueDataMessageSender' }
  { identity: 'ingestion', account: 'data', container: names.claimCheckContainer, role: 'storageBlobDataContributor' }
  { identity: 'ingestion', account: 'data', table: names.failureTable, role: 'storageTableDataContributor' }
  // circuit-breaker: its host and the Durable task hub on its own host account. The task hub's
  // queues (control-00..NN by partition count, workitems) and tables (History, Instances, and
  // Partitions with the table partition manager) are created by the extension at run time, so
  // queues and tables are granted on the account (which also covers the host's diagnostic events
  // tables); it holds nothing but this app's host state.
  { identity: 'circuit-breaker', account: 'host:circuit-breaker', container: 'azure-webjobs-hosts', role: 'storageBlobDataOwner' }
  { identity: 'circuit-breaker', account: 'host:circuit-breaker', container: 'azure-webjobs-secrets', role: 'storageBlobDataOwner' }
  { identity: 'circuit-breaker', account: 'host:circuit-breaker', container: '${taskHub}-leases', role: 'storageBlobDataOwner' }
  { identity: 'circuit-breaker', account: 'host:circuit-breaker', container: '${taskHub}-applease', role: 'storageBlobDataOwner' }
  { identity: 'circuit-breaker', account: 'host:circuit-breaker', container: '${taskHub}-largemessages', role: 'storageBlobDataOwner' }
  { identity: 'circuit-breaker', account: 'host:circuit-breaker', scope: 'account', role: 'storageQueueDataContributor' }
  { identity: 'circuit-breaker', account: 'host:circuit-breaker', scope: 'account', role: 'storageTableDataContributor' }
  // circuit-breaker: reads and prunes the shared failure window
  { identity: 'circuit-breaker', account: 'data', table: names.failureTable, role: 'storageTableDataContributor' }
  // dead-letter-reprocessor: its host
  { identity: 'dead-letter-reprocessor', account: 'host:dead-letter-reprocessor', container: 'azure-webjobs-hosts', role: 'storageBlobDataOwner' }
  { identity: 'dead-letter-reprocessor', account: 'host:dead-letter-reprocessor', container: 'azure-webjobs-secrets', role: 'storageBlobDataOwner' }
  { identity: 'dead-letter-reprocessor', account: 'host:dead-letter-reprocessor', scope: 'account', role: 'storageTableDataContributor' }
  // dead-letter-reprocessor: the queue trigger (+ re-queue), the host's poison queue and the poison
  // drain's own poison queue, claim-check bodies (read, purge), the parking table
  { identity: 'dead-letter-reprocessor', account: 'data', queue: names.deadLetterQueue, role: 'storageQueueDataContributor' }
  { identity: 'dead-letter-reprocessor', account: 'data', queue: '${names.deadLetterQueue}-poison', role: 'storageQueueDataContributor' }
  { identity: 'dead-letter-reprocessor', account: 'data', queue: '${names.deadLetterQueue}-poison-poison', role: 'storageQueueDataContributor' }
  { identity: 'dead-letter-reprocessor', account: 'data', container: names.claimCheckContainer, role: 'storageBlobDataContributor' }
  { identity: 'dead-letter-reprocessor', account: 'data', table: names.parkingTable, role: 'storageTableDataContributor' }
  // device-status: its host
  { identity: 'device-status', account: 'host:device-status', container: 'azure-webjobs-hosts', role: 'storageBlobDataOwner' }
  { identity: 'device-status', account: 'host:device-status', container: 'azure-webjobs-secrets', role: 'storageBlobDataOwner' }
  { identity: 'device-status', account: 'host:device-status', scope: 'account', role: 'storageTableDataContributor' }
  // device-status: ingestion's checkpoints (lag), read only
  { identity: 'device-status', account: 'host:ingestion', container: names.checkpointContainer, role: 'storageBlobDataReader' }
  // device-status: peeks every queue that can hold a letter; counts parked letters
  { identity: 'device-status', account: 'data', queue: names.deadLetterQueue, role: 'storageQueueDataReader' }
  { identity: 'device-status', account: 'data', queue: '${names.deadLetterQueue}-poison', role: 'storageQueueDataReader' }
  { identity: 'device-status', account: 'data', queue: '${names.deadLetterQueue}-poison-poison', role: 'storageQueueDataReader' }
  { identity: 'device-status', account: 'data', table: names.parkingTable, role: 'storageTableDataReader' }
  // Deployment packages: each app's deploy identity writes its own container; nobody else has a role there.
  { identity: 'deploy:ingestion', account: 'deploy', container: 'app-package-ingestion', role: 'storageBlobDataContributor' }
  { identity: 'deploy:circuit-breaker', account: 'deploy', container: 'app-package-circuit-breaker', role: 'storageBlobDataContributor' }
  { identity: 'deploy:dead-letter-reprocessor', account: 'deploy', container: 'app-package-dead-letter-reprocessor', role: 'storageBlobDataContributor' }
  { identity: 'deploy:device-status', account: 'deploy', container: 'app-package-device-status', role: 'storageBlobDataContributor' }
]
var containerGrants = filter(storageGrants, g => contains(g, 'container'))
var queueGrants = filter(storageGrants, g => contains(g, 'queue'))
var tableGrants = filter(storageGrants, g => contains(g, 'table'))
var accountGrants = filter(storageGrants, g => contains(g, 'scope') && g.scope == 'account')

var cosmosAssignments = [
  { principalId: principals.ingestion, roleDefinition: cosmosDataContributor }
  { principalId: principals['dead-letter-reprocessor'], roleDefinition: cosmosDataContributor }
  { principalId: principals['device-status'], roleDefinition: cosmosDataReader }
]
var secretReaders = concat([
  { principalId: principals['circuit-breaker'], secret: 'breaker-approval-signing-key' }
  { principalId: principals['dead-letter-reprocessor'], secret: 'breaker-status-key' }
  // device-status reads the breaker's anonymous summary: no key (issue 13 item 6)
], hasWebhookSecret ? [
  { principalId: principals['circuit-breaker'], secret: 'breaker-webhook-url' }
] : [])

resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' existing = {
  name: eventHubsNamespaceName
  resource hub 'eventhubs' existing = {
    name: eventHubName
  }
}

// The scopes of the storage grants: each container, queue, table (or account) by name.
resource grantedContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = [for g in containerGrants: {
  name: '${storageAccounts[g.account]}/default/${g.container}'
}]

resource grantedQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' existing = [for g in queueGrants: {
  name: '${storageAccounts[g.account]}/default/${g.queue}'
}]

resource grantedTables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' existing = [for g in tableGrants: {
  name: '${storageAccounts[g.account]}/default/${g.table}'
}]

resource grantedAccounts 'Microsoft.Storage/storageAccounts@2023-05-01' existing = [for g in accountGrants: {
  name: storageAccounts[g.account]
}]

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

resource containerRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (g, i) in containerGrants: {
  name: guid(grantedContainers[i].id, principals[g.identity], role[g.role])
  scope: grantedContainers[i]
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role[g.role])
    principalId: principals[g.identity]
    principalType: 'ServicePrincipal'
  }
}]

resource queueRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (g, i) in queueGrants: {
  name: guid(grantedQueues[i].id, principals[g.identity], role[g.role])
  scope: grantedQueues[i]
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role[g.role])
    principalId: principals[g.identity]
    principalType: 'ServicePrincipal'
  }
}]

resource tableRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (g, i) in tableGrants: {
  name: guid(grantedTables[i].id, principals[g.identity], role[g.role])
  scope: grantedTables[i]
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role[g.role])
    principalId: principals[g.identity]
    principalType: 'ServicePrincipal'
  }
}]

resource accountRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (g, i) in accountGrants: {
  name: guid(grantedAccounts[i].id, principals[g.identity], role[g.role])
  scope: grantedAccounts[i]
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role[g.role])
    principalId: principals[g.identity]
    principalType: 'ServicePrincipal'
  }
}]

resource metricsPublisherRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for app in runtimeApps: {
  name: guid(appInsights.id, principals[app], role.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.monitoringMetricsPublisher)
    principalId: principals[app]
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
