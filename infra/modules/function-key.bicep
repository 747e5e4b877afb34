// A named host function key on the breaker app, with a value we choose (kept in Key Vault as
// breaker-status-key), so the reprocessor can call GET /api/breaker. device-status holds no breaker
// key: it reads the anonymous GET /api/breaker/summary (issue 13 item 6).
// Docs: https://learn.microsoft.com/azure/templates/microsoft.web/2024-11-01/sites/host/functionkeys
param siteName string
param keyName string
@secure()
param value string

resource site 'Microsoft.Web/sites@2024-11-01' existing = {
  name: siteName
}

resource key 'Microsoft.Web/sites/host/functionKeys@2024-11-01' = {
  name: '${site.name}/default/${keyName}'
  properties: {
    name: keyName
    value: value
  }
}
