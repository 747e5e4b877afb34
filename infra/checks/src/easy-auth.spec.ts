import path from 'node:path';
import { allResources, propertyValue, readBicepFile } from './bicep-file';
import { evaluate, fileScope, UNKNOWN } from './bicep-literal';
import { INFRA_ROOT } from './infra-files';

describe('App Service Authentication on the circuit breaker (issue 13 item 8)', () => {
  it('authsettingsV2 turns the platform on with Entra ID, the given app registration and only the listed operators', async () => {
    const file = await readBicepFile(path.join(INFRA_ROOT, 'modules', 'easy-auth.bicep'));
    const auth = allResources(file).find((r) => r.type === 'Microsoft.Web/sites/config');
    expect(auth?.body && evaluate(propertyValue(auth.body, 'name')!, fileScope(file))).toBe('authsettingsV2');
    const params = { clientId: 'client-1', tenantId: 'tenant-1', allowedPrincipalObjectIds: ['operator-1', 'operators-group-1'] };
    const properties = evaluate(propertyValue(auth!.body!, 'properties')!, fileScope(file, params));
    expect(properties).toEqual(expect.objectContaining({
      platform: { enabled: true },
      globalValidation: { requireAuthentication: false, unauthenticatedClientAction: 'AllowAnonymous' },
      identityProviders: {
        azureActiveDirectory: expect.objectContaining({
          enabled: true,
          registration: { clientId: 'client-1', openIdIssuer: 'https://login.microsoftonline.com/tenant-1/v2.0' },
          validation: expect.objectContaining({ defaultAuthorizationPolicy: {
            // Operators may be listed as users or groups: a group's members pass only through `groups`.
            allowedPrincipals: { identities: ['operator-1', 'operators-group-1'], groups: ['operator-1', 'operators-group-1'] },
          } }),
        }),
      },
    }));
  });

  it('the breaker app deploys it whenever main.bicep is given an app registration', async () => {
    const breaker = await readBicepFile(path.join(INFRA_ROOT, 'apps', 'circuit-breaker.bicep'));
    const mod = breaker.modules.get('easyAuth');
    expect(mod?.source).toBe('../modules/easy-auth.bicep');
    expect(mod?.node.text).toMatch(/= if \(!empty\(operatorAuth\.clientId\)\)/);
    const main = await readBicepFile(path.join(INFRA_ROOT, 'main.bicep'));
    const params = propertyValue(main.modules.get('breakerApp')!.body!, 'params')!;
    const operatorAuth = evaluate(propertyValue(params, 'operatorAuth')!, fileScope(main, { breakerAuthClientId: 'client-1', breakerAuthTenantId: 'tenant-1', breakerOperatorObjectIds: ['operator-1'] }));
    expect(operatorAuth).toEqual({ clientId: 'client-1', tenantId: 'tenant-1', operatorObjectIds: ['operator-1'] });
    expect(operatorAuth).not.toBe(UNKNOWN);
  });
});
