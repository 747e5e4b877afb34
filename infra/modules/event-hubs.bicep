// Event Hubs namespace (Standard, auto-inflate up to a maximum), the telemetry hub and the
// ingestion consumer group. Deployed again in the secondary region (hub-less) for geo-DR pairing.
// Docs: https://learn.microsoft.com/azure/templates/microsoft.eventhub/2024-01-01/namespaces
//       https://learn.microsoft.com/azure/templates/microsoft.eventhub/2024-01-01/namespaces/eventhubs
//       https://learn.microsoft.com/azure/templates/microsoft.eventhub/2024-01-01/namespaces/eventhubs/consumergroups
param location string
param tags object
param namespaceName string
@description('Hub and consumer group to create; empty for a geo-DR secondary (pairing replicates them).')
param hubName string = ''
param consumerGroupName string = ''
@minValue(1)
@maxValue(32)
@description('Partitions (fixed after creation on Standard): the most ingestion instances that can read at once.')
param partitionCount int = 8
@minValue(1)
@maxValue(7)
param messageRetentionInDays int = 1
@minValue(1)
@maxValue(40)
@description('Throughput units at deployment; auto-inflate raises them up to maximumThroughputUnits (never lowers them).')
param throughputUnits int = 1
@minValue(1)
@maxValue(40)
param maximumThroughputUnits int = 4
@description('Keep false: senders and readers use Entra ID. True only for devices that can only use SAS.')
param localAuthEnabled bool = false

resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' = {
  name: namespaceName
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
    capacity: throughputUnits
  }
  properties: {
    isAutoInflateEnabled: true
    maximumThroughputUnits: maximumThroughputUnits
    disableLocalAuth: !localAuthEnabled
    minimumTlsVersion: '1.2'
  }
}

resource hub 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' = if (!empty(hubName)) {
  parent: namespace
  name: empty(hubName) ? 'unused' : hubName
  properties: {
    partitionCount: partitionCount
    messageRetentionInDays: messageRetentionInDays
  }
}

resource consumerGroup 'Microsoft.EventHub/namespaces/eventhubs/consumergroups@2024-01-01' = if (!empty(hubName) && !empty(consumerGroupName)) {
  parent: hub
  name: empty(consumerGroupName) ? 'unused' : consumerGroupName
  properties: {
    userMetadata: 'apps/ingestion (Event Hubs trigger)'
  }
}

output namespaceId string = namespace.id
output namespaceName string = namespace.name
output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
