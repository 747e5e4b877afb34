// Cosmos DB for NoSQL: one account, the telemetry database and the devices container
// (partition key /deviceId: one document per device). Serverless by default (no idle RU charge);
// provisioned autoscale as an option, which is also what multi-region needs (serverless accounts
// run in one region only). Keys are disabled: apps use their identity (sqlRoleAssignments, rbac.bicep).
// Docs: https://learn.microsoft.com/azure/templates/microsoft.documentdb/2024-11-15/databaseaccounts
//       https://learn.microsoft.com/azure/templates/microsoft.documentdb/2024-11-15/databaseaccounts/sqldatabases/containers
//       https://learn.microsoft.com/azure/cosmos-db/serverless (single region)
param location string
param tags object
param accountName string
param databaseName string
param containerName string
@allowed(['serverless', 'provisioned'])
param capacityMode string = 'serverless'
@minValue(1000)
@description('Provisioned mode only: autoscale maximum RU/s of the container (it scales 10%..100%).')
param autoscaleMaxThroughput int = 4000
@description('Provisioned mode only: a second region (failover priority 1). Ignored when serverless.')
param secondaryLocation string = ''

var provisioned = capacityMode == 'provisioned'
var multiRegion = provisioned && !empty(secondaryLocation)
var primaryLocation = [
  {
    locationName: location
    failoverPriority: 0
    isZoneRedundant: false
  }
]
var secondaryLocations = multiRegion ? [
  {
    locationName: secondaryLocation
    failoverPriority: 1
    isZoneRedundant: false
  }
] : []

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: accountName
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: concat(primaryLocation, secondaryLocations)
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    capabilities: provisioned ? [] : [
      { name: 'EnableServerless' }
    ]
    enableAutomaticFailover: multiRegion
    enableMultipleWriteLocations: false
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: { id: databaseName }
  }
}

resource container 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = {
  parent: database
  name: containerName
  properties: {
    resource: {
      id: containerName
      partitionKey: {
        paths: ['/deviceId']
        kind: 'Hash'
        version: 2
      }
    }
    options: provisioned ? { autoscaleSettings: { maxThroughput: autoscaleMaxThroughput } } : {}
  }
}

output accountName string = account.name
output endpoint string = account.properties.documentEndpoint
