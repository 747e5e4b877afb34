// One user-assigned managed identity (one per app, so each app gets only its own roles).
// Docs: https://learn.microsoft.com/azure/templates/microsoft.managedidentity/2023-01-31/userassignedidentities
param location string
param tags object
param name string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output principalId string = identity.properties.principalId
output clientId string = identity.properties.clientId
