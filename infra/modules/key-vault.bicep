// Key Vault (RBAC mode) for the few real secrets: the breaker's approval-link signing key, its
// optional webhook URL, and the function key other apps use to read the breaker's status.
// App settings only hold Key Vault references; each app's identity reads only its secrets.
// Docs: https://learn.microsoft.com/azure/templates/microsoft.keyvault/2023-07-01/vaults
//       https://learn.microsoft.com/azure/templates/microsoft.keyvault/2023-07-01/vaults/secrets
//       https://learn.microsoft.com/azure/app-service/app-service-key-vault-references
param location string
param tags object
param name string
@description('Secrets to store: [{ name, value }]; values come from @secure() parameters.')
@secure()
param secrets object

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    // A deleted vault or secret cannot be purged before the retention ends, by anyone (issue 13
    // item 11). Irreversible once on; a redeploy under the same name waits out the retention.
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource vaultSecrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [for s in items(secrets): if (!empty(s.value)) {
  parent: vault
  name: s.key
  properties: {
    value: s.value
    contentType: 'text/plain'
  }
}]

output name string = vault.name
output uri string = vault.properties.vaultUri
