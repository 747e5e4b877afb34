// Optional IoT Hub front door (main.bicep deployIotHub; README "IoT Hub mode", issue 22).
// Devices authenticate to IoT Hub; IoT Hub stamps every message it forwards with the identity it
// authenticated (iothub-connection-device-id, -module-id, -auth-generation-id, iothub-message-source,
// iothub-enqueuedtime) and routes device telemetry to the telemetry hub that the ingestion trigger
// already reads with its managed identity. Ingestion then runs with DEVICE_IDENTITY_SOURCE=iothub.
//
// Why a route to the telemetry hub and not the trigger on IoT Hub's built-in endpoint: the built-in
// endpoint accepts only SAS (shared access policy) connections, no Microsoft Entra ID, so the
// trigger could not read it with an identity (MicrosoftDocs/azure-docs#85268 and #55813,
// Azure/azure-sdk-for-rust#3652). The route is identity-based too: IoT Hub's own user-assigned
// identity holds Azure Event Hubs Data Sender on that one hub, and nothing else may send to it
// (the namespace keeps local auth off: no SAS keys exist; rbac.bicep grants no other sender).
// That is what makes the iothub-* properties trustworthy: no producer but IoT Hub can write them.
// Only the DeviceMessages source is routed (twin, lifecycle and connection-state events are not),
// and the fallback route is off, so nothing reaches the built-in endpoint unread.
// Docs: https://learn.microsoft.com/azure/templates/microsoft.devices/2023-06-30/iothubs
//       https://learn.microsoft.com/azure/templates/microsoft.managedidentity/2023-01-31/userassignedidentities
//       https://learn.microsoft.com/azure/templates/microsoft.authorization/2022-04-01/roleassignments
param location string
param tags object
param name string
@description('The Event Hubs namespace and hub ingestion reads (its trigger, identity-based).')
param eventHubsNamespaceName string
param eventHubName string
@allowed(['S1', 'S2', 'S3'])
@description('Standard tier: device-to-cloud routing to custom endpoints (Basic has no module or twin features, which is fine, but Standard is the documented tier for routing with identities).')
param skuName string = 'S1'
@minValue(1)
@maxValue(200)
param capacity int = 1

var role = {
  eventHubsDataSender: '2b629674-e913-4c01-ae53-ef4638d8f975'
}

resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' existing = {
  name: eventHubsNamespaceName
  resource hub 'eventhubs' existing = {
    name: eventHubName
  }
}

// IoT Hub's own identity: created first so its role exists before the hub validates the endpoint.
resource routingIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${name}'
  location: location
  tags: tags
}

resource senderRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(namespace::hub.id, routingIdentity.id, role.eventHubsDataSender)
  scope: namespace::hub
  properties: {
    principalId: routingIdentity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.eventHubsDataSender)
  }
}

resource iotHub 'Microsoft.Devices/IotHubs@2023-06-30' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
    capacity: capacity
  }
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${routingIdentity.id}': {}
    }
  }
  properties: {
    // Service-side (registry, routing) access by Entra ID only; devices still use their own SAS or X.509.
    disableLocalAuth: true
    routing: {
      endpoints: {
        eventHubs: [
          {
            name: 'telemetry'
            authenticationType: 'identityBased'
            identity: {
              userAssignedIdentity: routingIdentity.id
            }
            endpointUri: 'sb://${eventHubsNamespaceName}.servicebus.windows.net'
            entityPath: eventHubName
          }
        ]
      }
      routes: [
        {
          name: 'device-telemetry'
          source: 'DeviceMessages'
          condition: 'true'
          endpointNames: ['telemetry']
          isEnabled: true
        }
      ]
      fallbackRoute: {
        name: '$fallback'
        source: 'DeviceMessages'
        condition: 'true'
        endpointNames: ['events']
        isEnabled: false
      }
    }
  }
  dependsOn: [senderRole]
}

output name string = iotHub.name
output hostName string = iotHub.properties.hostName
output routingIdentityPrincipalId string = routingIdentity.properties.principalId
