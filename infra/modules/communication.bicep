// Operator e-mail (issue 19 part 3): an Email Communication Service with an Azure-managed domain
// (DoNotReply@<guid>.azurecomm.net, no DNS to set up), linked to a Communication Services resource
// the breaker sends through with its managed identity (no access key in any setting).
// Docs: https://learn.microsoft.com/azure/templates/microsoft.communication/2023-04-01/communicationservices
//       https://learn.microsoft.com/azure/templates/microsoft.communication/2023-04-01/emailservices
//       https://learn.microsoft.com/azure/templates/microsoft.communication/2023-04-01/emailservices/domains
//       https://learn.microsoft.com/azure/communication-services/quickstarts/email/add-azure-managed-domains
//       https://learn.microsoft.com/azure/communication-services/quickstarts/email/send-email-smtp/smtp-authentication (the rights a sender needs)
param tags object
param resourceToken string
@description('Where the e-mail data is stored at rest (Communication Services data location, e.g. "United States", "Europe").')
param dataLocation string
@description('The breaker app\'s user-assigned identity (principal id): the only sender.')
param senderPrincipalId string

resource emailService 'Microsoft.Communication/emailServices@2023-04-01' = {
  name: 'ecs-telemetry-${resourceToken}'
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
  }
}

resource domain 'Microsoft.Communication/emailServices/domains@2023-04-01' = {
  parent: emailService
  name: 'AzureManagedDomain'
  location: 'global'
  tags: tags
  properties: {
    domainManagement: 'AzureManaged'
    // The mails carry a bearer resume link: no click-tracking redirect may rewrite it.
    userEngagementTracking: 'Disabled'
  }
}

resource communication 'Microsoft.Communication/communicationServices@2023-04-01' = {
  name: 'acs-telemetry-${resourceToken}'
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
    linkedDomains: [domain.id]
  }
}

// Least privilege that ACS honours: sending through the data plane with an Entra token needs
// Microsoft.Communication/CommunicationServices/Read + /Write and EmailServices/write on the
// resource (smtp-authentication doc above: "Contributor, or a custom role"). Custom roles are not
// honoured by ACS in practice, so the narrowest built-in role that carries them is used, on this one
// resource only (not the email service, not the resource group): Communication and Email Service Owner.
var communicationAndEmailServiceOwner = '09976791-48a7-449e-bb21-39d1a415f350'

resource senderAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(communication.id, senderPrincipalId, communicationAndEmailServiceOwner)
  scope: communication
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', communicationAndEmailServiceOwner)
    principalId: senderPrincipalId
    principalType: 'ServicePrincipal'
  }
}

@description('ACS_ENDPOINT for the breaker.')
output endpoint string = 'https://${communication.properties.hostName}'
@description('BREAKER_EMAIL_FROM: the Azure-managed domain\'s DoNotReply sender.')
output senderAddress string = 'DoNotReply@${domain.properties.mailFromSenderDomain}'
output communicationServiceName string = communication.name
