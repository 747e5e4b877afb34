import { WebSiteManagementClient, type WebSiteManagementClientOptionalParams } from '@azure/arm-appservice';
import { DefaultAzureCredential } from '@azure/identity';

/** What the ARM client authenticates with (an @azure/identity credential). */
export type ArmCredential = ConstructorParameters<typeof WebSiteManagementClient>[0];

/** The four ARM calls the switches use (a subset of `WebSiteManagementClient.webApps`). */
export type WebAppsApi = Pick<WebSiteManagementClient['webApps'], 'listApplicationSettings' | 'updateApplicationSettings' | 'stop' | 'start'>;

export interface ArmTarget {
  subscriptionId: string;
  resourceGroup: string;
  appName: string;
}

/**
 * The ARM client for the ingestion app, authenticated with the breaker's managed identity (which
 * needs "Website Contributor" on the ingestion app). `options` exists for tests (loopback endpoint).
 */
export function connectWebApps(
  subscriptionId: string,
  credential: ArmCredential = new DefaultAzureCredential(),
  options: WebSiteManagementClientOptionalParams = {},
): WebAppsApi {
  return new WebSiteManagementClient(credential, subscriptionId, options).webApps;
}
