import type { Agent } from 'node:http';
import type { TokenCredential } from '@azure/core-auth';
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  RestError,
  type HttpClient,
  type Pipeline,
} from '@azure/core-rest-pipeline';
import { azureCredential } from '@telemetry/azure-identity';

/** What the ARM client authenticates with (a TokenCredential: the app's identity by default, see @telemetry/azure-identity). */
export type ArmCredential = TokenCredential;

/** App settings as ARM's `StringDictionary` carries them. */
export interface StringDictionary {
  properties?: Record<string, string>;
}

/**
 * The four Microsoft.Web calls the switches make, named and shaped as in
 * `@azure/arm-appservice`'s `WebSiteManagementClient.webApps` (which they replaced: that client
 * builds every one of App Service's ~80 operation groups and ~700 KB of mappers, a quarter of the
 * breaker's package, for these four calls).
 */
export interface WebAppsApi {
  listApplicationSettings(resourceGroupName: string, name: string): Promise<StringDictionary>;
  updateApplicationSettings(resourceGroupName: string, name: string, appSettings: StringDictionary): Promise<StringDictionary>;
  stop(resourceGroupName: string, name: string): Promise<void>;
  start(resourceGroupName: string, name: string): Promise<void>;
}

export interface ArmTarget {
  subscriptionId: string;
  resourceGroup: string;
  appName: string;
}

/** Test seams (a loopback endpoint and the agent that trusts its certificate). */
export interface WebAppsOptions {
  /** ARM's endpoint; default https://management.azure.com (its token scope is `<endpoint>/.default`). */
  endpoint?: string;
  agent?: Agent;
  retryOptions?: { maxRetries?: number; retryDelayInMs?: number; maxRetryDelayInMs?: number };
}

/** The api-version of Microsoft.Web the calls use (the one @azure/arm-appservice 19.0.0 used). */
export const WEB_API_VERSION = '2025-05-01';
const DEFAULT_ENDPOINT = 'https://management.azure.com';

/**
 * The ARM client for the ingestion app, authenticated with the breaker's managed identity (which
 * needs "Website Contributor" on the ingestion app). The pipeline is the Azure SDK's own
 * (`@azure/core-rest-pipeline`: retries with back-off, bearer token, request id, user agent), so
 * calls behave as the generated client's did; non-2xx answers throw `RestError` with ARM's code.
 */
export function connectWebApps(
  subscriptionId: string,
  credential: ArmCredential = azureCredential(),
  options: WebAppsOptions = {},
): WebAppsApi {
  const endpoint = (options.endpoint ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
  const pipeline: Pipeline = createPipelineFromOptions({
    retryOptions: options.retryOptions,
    agent: options.agent,
    userAgentOptions: { userAgentPrefix: 'telemetry-breaker-arm' },
  });
  pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential, scopes: `${endpoint}/.default` }));
  const client: HttpClient = createDefaultHttpClient();
  const site = (rg: string, name: string) =>
    `${endpoint}/subscriptions/${encodeURIComponent(subscriptionId)}/resourceGroups/${encodeURIComponent(rg)}/providers/Microsoft.Web/sites/${encodeURIComponent(name)}`;

  async function call(method: 'POST' | 'PUT', url: string, body?: unknown): Promise<unknown> {
    const headers = createHttpHeaders({ accept: 'application/json' });
    if (body !== undefined) headers.set('content-type', 'application/json');
    const request = createPipelineRequest({
      url: `${url}?api-version=${WEB_API_VERSION}`,
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const response = await pipeline.sendRequest(client, request);
    const text = response.bodyAsText ?? '';
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (response.status < 200 || response.status >= 300) {
      const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new RestError(error?.message ?? `ARM ${method} answered ${response.status}`, {
        code: error?.code, statusCode: response.status, request, response,
      });
    }
    return parsed;
  }

  const dictionary = (value: unknown): StringDictionary => {
    const properties = (value as StringDictionary | undefined)?.properties;
    return properties === undefined ? {} : { properties: { ...properties } };
  };
  return {
    listApplicationSettings: async (rg, name) => dictionary(await call('POST', `${site(rg, name)}/config/appsettings/list`)),
    updateApplicationSettings: async (rg, name, appSettings) =>
      dictionary(await call('PUT', `${site(rg, name)}/config/appsettings`, { properties: appSettings.properties ?? {} })),
    stop: async (rg, name) => void (await call('POST', `${site(rg, name)}/stop`)),
    start: async (rg, name) => void (await call('POST', `${site(rg, name)}/start`)),
  };
}
