// The breaker's only control-plane right: stop/start (or, with BREAKER_SWITCH=arm-function,
// read and write the settings of) the ingestion function app, and nothing else. A custom role
// assigned on that one site.
// Docs: https://learn.microsoft.com/azure/templates/microsoft.authorization/2022-04-01/roledefinitions
//       https://learn.microsoft.com/azure/role-based-access-control/resource-provider-operations#microsoftweb
param ingestionSiteName string
param breakerPrincipalId string
@allowed(['arm-app', 'arm-function'])
param breakerSwitch string

var stopStart = [
  'Microsoft.Web/sites/read'
  'Microsoft.Web/sites/stop/action'
  'Microsoft.Web/sites/start/action'
]
// arm-function disables the function through AzureWebJobs_<fn>_Disabled: list + write settings.
var settings = [
  'Microsoft.Web/sites/config/list/action'
  'Microsoft.Web/sites/config/write'
]

resource ingestionSite 'Microsoft.Web/sites@2024-11-01' existing = {
  name: ingestionSiteName
}

resource switchRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, 'telemetry-ingestion-switch', breakerSwitch)
  properties: {
    // Custom role names are unique per tenant: the subscription id keeps two subscriptions' same-named resource groups apart.
    roleName: 'Telemetry ingestion switch (${subscription().subscriptionId}/${resourceGroup().name}, ${breakerSwitch})'
    description: 'Lets the circuit breaker pause and resume the telemetry ingestion function app.'
    type: 'CustomRole'
    assignableScopes: [resourceGroup().id]
    permissions: [
      {
        actions: breakerSwitch == 'arm-app' ? stopStart : concat(stopStart, settings)
        notActions: []
      }
    ]
  }
}

resource switchAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(ingestionSite.id, breakerPrincipalId, switchRole.id)
  scope: ingestionSite
  properties: {
    roleDefinitionId: switchRole.id
    principalId: breakerPrincipalId
    principalType: 'ServicePrincipal'
  }
}
