import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { onFirstUse } from '@telemetry/core';
import { AppServiceManagedIdentityCredential, appServiceIdentityEndpoint } from './app-service-managed-identity';

export interface AzureCredentialOptions {
  /** A user-assigned identity's client id (`AZURE_CLIENT_ID`, `<Connection>__clientId`); unset: system-assigned. */
  managedIdentityClientId?: string;
  /**
   * Managed identity only, as @azure/identity's ManagedIdentityCredential (Application Insights'
   * `Authorization=AAD`). Otherwise the chain of its DefaultAzureCredential: a service principal
   * or workload identity from the environment, then managed identity, then a developer's sign-in.
   */
  managedIdentityOnly?: boolean;
}

// Set, these make DefaultAzureCredential use a service principal or workload identity before
// managed identity (its EnvironmentCredential and WorkloadIdentityCredential).
const CHAIN_FIRST = ['AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PATH', 'AZURE_FEDERATED_TOKEN_FILE', 'AZURE_USERNAME'];

const shared = new Map<string, TokenCredential>();

/**
 * The credential every Azure client of the product authenticates with when it has no key, one per
 * identity per process (so an app's clients share one token cache):
 * - under App Service / Azure Functions, the platform's managed identity token service, with no SDK
 *   (AppServiceManagedIdentityCredential);
 * - anywhere else, @azure/identity's DefaultAzureCredential (or ManagedIdentityCredential), with
 *   the package loaded on the first token request: a workstation, a VM, Arc or AKS.
 */
export function azureCredential(options: AzureCredentialOptions = {}): TokenCredential {
  const env = process.env;
  const appService = appServiceIdentityEndpoint(env);
  const onAppService = appService && (options.managedIdentityOnly || !CHAIN_FIRST.some((name) => env[name]));
  const key = JSON.stringify([onAppService ? appService : 'sdk', options.managedIdentityOnly === true, options.managedIdentityClientId ?? '']);
  let credential = shared.get(key);
  if (!credential) {
    credential = onAppService ? new AppServiceManagedIdentityCredential(appService, options.managedIdentityClientId) : new DeferredSdkCredential(options);
    shared.set(key, credential);
  }
  return credential;
}

/** @azure/identity's credential, built (and the package loaded) on the first token request. */
class DeferredSdkCredential implements TokenCredential {
  private readonly credential: () => Promise<TokenCredential>;

  constructor(options: AzureCredentialOptions) {
    this.credential = onFirstUse(async () => {
      const { DefaultAzureCredential, ManagedIdentityCredential } = await import('@azure/identity');
      const clientId = options.managedIdentityClientId;
      if (options.managedIdentityOnly) return new ManagedIdentityCredential(clientId ? { clientId } : {});
      return new DefaultAzureCredential(clientId ? { managedIdentityClientId: clientId } : {});
    });
  }

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    return (await this.credential()).getToken(scopes, options);
  }
}
