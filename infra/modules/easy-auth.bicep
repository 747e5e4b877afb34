// App Service Authentication ("Easy Auth", authsettingsV2) with Microsoft Entra ID on one site.
// With it on, the platform signs operators in and sets x-ms-client-principal-name (and -id) on
// the requests it forwards; the same headers sent by a client are not passed through, so the
// breaker's approval pages can trust them. App Service also sets WEBSITE_AUTH_ENABLED=True in the
// app's environment: the app's code can tell whether the header comes from the platform.
// Requests without a session stay anonymous (function-key endpoints keep working); signed-in
// principals outside allowedPrincipalObjectIds are refused by the platform (403).
// Docs: https://learn.microsoft.com/azure/templates/microsoft.web/2024-11-01/sites/config-authsettingsv2
//       https://learn.microsoft.com/azure/app-service/configure-authentication-provider-aad
//       https://learn.microsoft.com/azure/app-service/configure-authentication-user-identities
param siteName string
@description('Application (client) id of the Entra app registration operators sign in to (ID tokens enabled; redirect URI https://<site>.azurewebsites.net/.auth/login/aad/callback).')
param clientId string
@description('Entra tenant of the app registration.')
param tenantId string
@description('Object ids of the operators allowed to sign in (users or groups): everyone else in the tenant gets 403.')
param allowedPrincipalObjectIds array

resource site 'Microsoft.Web/sites@2024-11-01' existing = {
  name: siteName
}

resource auth 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      // Anonymous requests still reach function-key endpoints (GET /api/breaker, POST /api/breaker/trip);
      // the approval page sends an operator without a session to /.auth/login/aad.
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    httpSettings: {
      requireHttps: true
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: clientId
          // No client secret: sign-in uses the OpenID Connect implicit flow (ID tokens only).
          openIdIssuer: 'https://login.microsoftonline.com/${tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [clientId, 'api://${clientId}']
          defaultAuthorizationPolicy: {
            // The platform matches `identities` against the token's object id and `groups` against
            // its groups claim; the list may hold both kinds, so it goes to both (a user id matches no
            // group, a group id no user). Groups need the registration to emit the groups claim
            // (groupMembershipClaims: SecurityGroup), as the app's own BREAKER_OPERATORS check does.
            allowedPrincipals: {
              groups: allowedPrincipalObjectIds
              identities: allowedPrincipalObjectIds
            }
          }
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
  }
}
