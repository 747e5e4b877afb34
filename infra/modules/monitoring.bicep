// Log Analytics workspace + workspace-based Application Insights (one component for all apps:
// cloud_RoleName tells them apart). Local (instrumentation-key) ingestion is disabled: apps send
// with their managed identity (APPLICATIONINSIGHTS_AUTHENTICATION_STRING, Monitoring Metrics Publisher).
// Docs: https://learn.microsoft.com/azure/templates/microsoft.operationalinsights/2023-09-01/workspaces
//       https://learn.microsoft.com/azure/templates/microsoft.insights/2020-02-02/components
param location string
param tags object
param logAnalyticsName string
param appInsightsName string
@description('Days Log Analytics keeps data (30 is included in the per-GB price).')
param retentionInDays int = 30

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: retentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
    DisableLocalAuth: true
  }
}

output workspaceId string = workspace.id
output appInsightsId string = appInsights.id
output appInsightsName string = appInsights.name
// A connection string is not a secret (it names the component and endpoints; ingestion needs Entra ID).
output appInsightsConnectionString string = appInsights.properties.ConnectionString
