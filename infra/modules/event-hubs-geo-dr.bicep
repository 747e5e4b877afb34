// Geo-disaster recovery alias: pairs the primary namespace with a (hub-less) secondary one.
// Metadata (hubs, consumer groups) replicates; events do not. Senders use the alias FQDN
// (<alias>.servicebus.windows.net), which follows a failover. Requires Standard or higher.
// Docs: https://learn.microsoft.com/azure/templates/microsoft.eventhub/2024-01-01/namespaces/disasterrecoveryconfigs
//       https://learn.microsoft.com/azure/event-hubs/event-hubs-geo-dr
param primaryNamespaceName string
param secondaryNamespaceId string
param aliasName string

resource primary 'Microsoft.EventHub/namespaces@2024-01-01' existing = {
  name: primaryNamespaceName
}

resource alias 'Microsoft.EventHub/namespaces/disasterRecoveryConfigs@2024-01-01' = {
  parent: primary
  name: aliasName
  properties: {
    partnerNamespace: secondaryNamespaceId
  }
}

output aliasFullyQualifiedNamespace string = '${alias.name}.servicebus.windows.net'
