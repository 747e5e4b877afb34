// apps/circuit-breaker: Durable Functions (Azure Storage task hub on AzureWebJobsStorage) that
// watches the shared failure window and stops/starts the ingestion app through ARM.
// Settings: apps/circuit-breaker/src/config.ts (breakerSettingsSchema, CONNECTION_SETTINGS,
// BINDING_SETTINGS). Site update strategy is always Recreate: rolling updates would run two
// orchestrator versions side by side (see infra/README.md).
//
// drift-check: not set in Azure: INGESTION_SWITCH_URL (BREAKER_SWITCH=http only; Azure uses ARM)
// drift-check: not set in Azure: INGESTION_SWITCH_KEY (BREAKER_SWITCH=http only; Azure uses ARM)
// drift-check: not set in Azure: WEBSITE_SITE_NAME (set by App Service itself)
// drift-check: not set in Azure: WEBSITE_AUTH_ENABLED (set by App Service itself, True when authsettingsV2 is on)
// drift-check: not set in Azure: SMTP_HOST (BREAKER_EMAIL_TRANSPORT=smtp only; Azure sends through ACS)
// drift-check: not set in Azure: SMTP_PORT (BREAKER_EMAIL_TRANSPORT=smtp only)
// drift-check: not set in Azure: SMTP_SECURE (BREAKER_EMAIL_TRANSPORT=smtp only)
// drift-check: not set in Azure: SMTP_USER (BREAKER_EMAIL_TRANSPORT=smtp only)
// drift-check: not set in Azure: SMTP_PASSWORD (BREAKER_EMAIL_TRANSPORT=smtp only; no password exists with ACS)

param shared object
param identity object
@description('Host storage endpoints (the app\'s own account) and its deployment package: { storage, deployment } from main.bicep.')
param hosting object
@allowed(['arm-app', 'arm-function'])
@description('arm-app stops/starts the ingestion app; arm-function flips AzureWebJobs_<fn>_Disabled (needs settings write).')
param breakerSwitch string
@allowed(['manual', 'auto-probe'])
param breakerMode string
@description('True when the breakerWebhookUrl secret exists in Key Vault.')
param hasWebhook bool
@description('Operator e-mail through Azure Communication Services: { endpoint, sender, recipients (comma-separated; empty = no e-mail) } (modules/communication.bicep).')
param email object
@description('App Service Authentication for the approval pages: { clientId, tenantId, operatorObjectIds }; empty clientId = off (approvers are then recorded as unauthenticated).')
param operatorAuth object

var appSettings = union({
  BREAKER_MODE: breakerMode
  BREAKER_THRESHOLD: '100'
  BREAKER_WINDOW_SECONDS: '30'
  BREAKER_COOLDOWN_SECONDS: '300'
  BREAKER_PROBE_SECONDS: '30'
  BREAKER_PROBE_THRESHOLD: '10'
  BREAKER_APPROVAL_TTL_SECONDS: '3600'
  // What the breaker switches off (its role allows exactly this app: rbac.bicep)
  BREAKER_SWITCH: breakerSwitch
  INGESTION_FUNCTION_NAME: 'ingestTelemetry'
  INGESTION_APP_NAME: shared.siteNames.ingestion
  INGESTION_RESOURCE_GROUP: shared.resourceGroupName
  AZURE_SUBSCRIPTION_ID: shared.subscriptionId
  // Approval links
  APPROVAL_SIGNING_KEY: '@Microsoft.KeyVault(SecretUri=${shared.keyVaultUri}secrets/breaker-approval-signing-key)'
  PUBLIC_BASE_URL: 'https://${shared.siteNames.circuitBreaker}.azurewebsites.net'
  // Who may approve signed in, without the link (checked by the app as well as by the platform)
  BREAKER_OPERATORS: join(operatorAuth.operatorObjectIds, ',')
  // Shared failure window (table on the data account)
  FailureTracking__tableServiceUri: shared.dataStorage.tableEndpoint
  FailureTracking__credential: 'managedidentity'
  FailureTracking__clientId: identity.clientId
  FAILURE_TABLE: shared.names.failureTable
  // Operator e-mail: ACS with this app's identity (Communication and Email Service Owner on that resource only)
  BREAKER_EMAIL_TRANSPORT: empty(email.recipients) ? 'none' : 'acs'
  BREAKER_EMAIL_FROM: email.sender
  BREAKER_EMAIL_TO: email.recipients
  ACS_ENDPOINT: email.endpoint
}, hasWebhook ? {
  BREAKER_WEBHOOK_URL: '@Microsoft.KeyVault(SecretUri=${shared.keyVaultUri}secrets/breaker-webhook-url)'
} : {})

module app '../modules/function-app.bicep' = {
  name: 'app-circuit-breaker'
  params: {
    location: shared.location
    tags: shared.tags
    appName: 'circuit-breaker'
    siteName: shared.siteNames.circuitBreaker
    planName: 'plan-circuit-breaker-${shared.resourceToken}'
    identityId: identity.id
    identityClientId: identity.clientId
    hostBlobEndpoint: hosting.storage.blobEndpoint
    hostQueueEndpoint: hosting.storage.queueEndpoint
    hostTableEndpoint: hosting.storage.tableEndpoint
    deploymentBlobEndpoint: hosting.deployment.blobEndpoint
    deploymentContainerName: hosting.deployment.containerName
    deploymentIdentityId: hosting.deployment.identityId
    appInsightsConnectionString: shared.appInsightsConnectionString
    appSettings: appSettings
    maximumInstanceCount: 4
    siteUpdateStrategy: 'Recreate'
  }
}

// The platform, not the client, sets x-ms-client-principal-name on the approval pages.
module easyAuth '../modules/easy-auth.bicep' = if (!empty(operatorAuth.clientId)) {
  name: 'easy-auth-circuit-breaker'
  params: {
    siteName: app.outputs.name
    clientId: operatorAuth.clientId
    tenantId: operatorAuth.tenantId
    allowedPrincipalObjectIds: operatorAuth.operatorObjectIds
  }
}

output id string = app.outputs.id
output name string = app.outputs.name
output defaultHostName string = app.outputs.defaultHostName
