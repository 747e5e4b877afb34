// One function app on its own Flex Consumption plan (FC1, Linux, Node 22): Flex allows one app
// per plan. Identity-based everything: the deployment package container (its own deploy identity),
// AzureWebJobsStorage (the app's own host account),
// Application Insights. App settings = the base set below + the app's own set
// (infra/apps/<app>.bicep). Keep both as plain object literals: tools/deploy-checks parses them
// to check drift against each app's settings schema.
// Docs: https://learn.microsoft.com/azure/templates/microsoft.web/2024-11-01/serverfarms
//       https://learn.microsoft.com/azure/templates/microsoft.web/2024-11-01/sites (functionAppConfig)
//       https://learn.microsoft.com/azure/azure-functions/flex-consumption-site-updates (siteUpdateStrategy, >= 2024-11-01)
//       https://learn.microsoft.com/azure/azure-functions/functions-reference#connecting-to-host-storage-with-an-identity
param location string
param tags object
@description('Nx project name of the app (tag azd-service-name, used by the pipeline).')
param appName string
param siteName string
param planName string
param identityId string
param identityClientId string
param hostBlobEndpoint string
param hostQueueEndpoint string
param hostTableEndpoint string
@description('Blob endpoint of the deployment account (packages live apart from host storage).')
param deploymentBlobEndpoint string
@description('The app\'s own package container in the deployment account.')
param deploymentContainerName string
@description('The identity the platform uses to write and read the package: the only writer of that container (rbac.bicep).')
param deploymentIdentityId string
param appInsightsConnectionString string
@description('The app\'s own settings (object literal in infra/apps/<app>.bicep).')
param appSettings object
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 10
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048
@allowed(['Recreate', 'RollingUpdate'])
param siteUpdateStrategy string = 'Recreate'
@description('Browser origins allowed to call the app (the dashboard\'s static site).')
param corsAllowedOrigins array = []

// Settings every app gets; the host (not the app's code) reads most of them.
var baseAppSettings = {
  AzureWebJobsStorage__blobServiceUri: hostBlobEndpoint
  AzureWebJobsStorage__queueServiceUri: hostQueueEndpoint
  AzureWebJobsStorage__tableServiceUri: hostTableEndpoint
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=${identityClientId}'
  AZURE_CLIENT_ID: identityClientId
}

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux
  }
}

resource site 'Microsoft.Web/sites@2024-11-01' = {
  name: siteName
  location: location
  tags: union(tags, { 'azd-service-name': appName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
      '${deploymentIdentityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      cors: {
        allowedOrigins: corsAllowedOrigins
      }
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${deploymentBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: deploymentIdentityId
          }
        }
      }
      runtime: {
        name: 'node'
        version: '22'
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      siteUpdateStrategy: {
        type: siteUpdateStrategy
      }
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: union(baseAppSettings, appSettings)
  }
}

// No publishing with user/password credentials: deployments use Entra ID (az functionapp deploy).
// Docs: https://learn.microsoft.com/azure/templates/microsoft.web/2024-11-01/sites/basicpublishingcredentialspolicies-scm
resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: site
  name: 'scm'
  properties: { allow: false }
}

resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: site
  name: 'ftp'
  properties: { allow: false }
}

output id string = site.id
output name string = site.name
output defaultHostName string = site.properties.defaultHostName
