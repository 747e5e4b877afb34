import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppServiceManagedIdentityCredential, ManagedIdentityTokenError, appServiceIdentityEndpoint } from './app-service-managed-identity';
import { azureCredential } from './azure-credential';

const SECRET = 'identity-header-secret-0f3a';
const CLIENT_ID = '00000000-0000-0000-0000-0000000000c1';

/**
 * A loopback stand-in for App Service's managed identity token service, checking what it checks
 * (https://learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference):
 * GET, `X-IDENTITY-HEADER` equal to the instance's IDENTITY_HEADER, `api-version=2019-08-01`, a
 * `resource`, and a `client_id` naming an identity assigned to the app. Scripted answers come first.
 */
class TokenService {
  readonly requests: { resource: string | null; clientId: string | null }[] = [];
  readonly script: { status: number; body?: unknown }[] = [];
  lifetimeSeconds = 3600;
  private server!: Server;
  endpoint = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json', 'retry-after': '0' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'GET' || url.pathname !== '/msi/token') return reply(404, { error: 'not found' });
      if (req.headers['x-identity-header'] !== SECRET) return reply(401, { message: 'missing or wrong X-IDENTITY-HEADER' });
      if (url.searchParams.get('api-version') !== '2019-08-01') return reply(400, { message: 'unsupported api-version' });
      const resource = url.searchParams.get('resource');
      const clientId = url.searchParams.get('client_id');
      this.requests.push({ resource, clientId });
      const scripted = this.script.shift();
      if (scripted) return reply(scripted.status, scripted.body ?? {});
      if (!resource) return reply(400, { message: 'resource is required' });
      if (clientId && clientId !== CLIENT_ID) return reply(400, { statusCode: 400, message: 'No User Assigned or Delegated Managed Identity found for specified ClientId' });
      const expiresOn = Math.floor(Date.now() / 1000) + this.lifetimeSeconds;
      reply(200, { access_token: `token-${this.requests.length}-for-${resource}`, expires_on: String(expiresOn), resource, token_type: 'Bearer', client_id: clientId ?? 'system' });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/msi/token`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('AppServiceManagedIdentityCredential (against a loopback token service)', () => {
  const service = new TokenService();
  beforeAll(() => service.start());
  afterAll(() => service.stop());
  beforeEach(() => {
    service.requests.length = 0;
    service.script.length = 0;
    service.lifetimeSeconds = 3600;
  });
  const credential = (clientId: string | null = CLIENT_ID) => new AppServiceManagedIdentityCredential({ endpoint: service.endpoint, header: SECRET }, clientId ?? undefined);

  it('asks for the scope’s resource with the identity header and client id, and returns the bearer token', async () => {
    const before = Date.now();
    const token = await credential().getToken('https://cosmos-x.documents.azure.com/.default');
    expect(service.requests).toEqual([{ resource: 'https://cosmos-x.documents.azure.com', clientId: CLIENT_ID }]);
    expect(token.token).toBe('token-1-for-https://cosmos-x.documents.azure.com');
    expect(token.tokenType).toBe('Bearer');
    expect(token.expiresOnTimestamp).toBeGreaterThanOrEqual(before + 3_599_000);
    expect(token.expiresOnTimestamp).toBeLessThanOrEqual(Date.now() + 3_600_000);
    expect(token.refreshAfterTimestamp).toBeUndefined();
  });

  it('uses the system-assigned identity when no client id is given', async () => {
    await credential(null).getToken(['https://storage.azure.com/.default']);
    expect(service.requests).toEqual([{ resource: 'https://storage.azure.com', clientId: null }]);
  });

  it('caches a token per resource and shares one call between concurrent requests', async () => {
    const c = credential();
    const [a, b] = await Promise.all([c.getToken('https://storage.azure.com/.default'), c.getToken('https://storage.azure.com/.default')]);
    const again = await c.getToken('https://storage.azure.com/.default');
    const other = await c.getToken('https://eventhubs.azure.net/.default');
    expect(service.requests.map((r) => r.resource)).toEqual(['https://storage.azure.com', 'https://eventhubs.azure.net']);
    expect(new Set([a.token, b.token, again.token]).size).toBe(1);
    expect(other.token).not.toBe(a.token);
  });

  it('renews half-way through a lifetime over 2 hours (refreshAfterTimestamp), as MSAL does', async () => {
    service.lifetimeSeconds = 24 * 3600;
    const token = await credential().getToken('https://storage.azure.com/.default');
    expect(token.refreshAfterTimestamp).toBeGreaterThan(Date.now() + 11.9 * 3_600_000);
    expect(token.refreshAfterTimestamp).toBeLessThan(token.expiresOnTimestamp);
  });

  it('renews a token close to expiry, and keeps the valid one when the renewal fails', async () => {
    service.lifetimeSeconds = 120; // within the 5-minute renewal margin: every request renews
    const c = credential();
    const first = await c.getToken('https://storage.azure.com/.default');
    const renewed = await c.getToken('https://storage.azure.com/.default');
    expect(renewed.token).not.toBe(first.token);
    service.script.push({ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 });
    const kept = await c.getToken('https://storage.azure.com/.default');
    expect(kept.token).toBe(renewed.token);
    expect(service.requests).toHaveLength(2 + 4);
  });

  it('retries transient answers (500, 503, 429, 404) up to 3 times, then fails with the status', async () => {
    service.script.push({ status: 500 }, { status: 429 });
    const token = await credential().getToken('https://storage.azure.com/.default');
    expect(token.token).toBe('token-3-for-https://storage.azure.com');

    service.requests.length = 0;
    service.script.push({ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 });
    const error = await credential().getToken('https://queue.example/.default').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManagedIdentityTokenError);
    expect(error).toMatchObject({ name: 'AuthenticationError', statusCode: 503 });
    expect(service.requests).toHaveLength(4);
  });

  it('does not retry a refusal, and never puts the identity header in the error', async () => {
    const error = (await credential('11111111-1111-1111-1111-111111111111').getToken('https://storage.azure.com/.default').catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ name: 'AuthenticationError', statusCode: 400 });
    expect(error.message).toContain('No User Assigned or Delegated Managed Identity found');
    expect(error.message).not.toContain(SECRET);
    expect(service.requests).toHaveLength(1);
  });

  it('fails a request the token service does not answer with a token', async () => {
    service.script.push({ status: 200, body: { token_type: 'Bearer' } });
    await expect(credential().getToken('https://storage.azure.com/.default')).rejects.toThrow(/no access_token or expires_on/);
    await expect(credential().getToken(['a/.default', 'b/.default'])).rejects.toThrow(/exactly one scope/);
  });

  it('fails with the reason when the token service cannot be reached', async () => {
    const gone = new AppServiceManagedIdentityCredential({ endpoint: 'http://127.0.0.1:1/msi/token', header: SECRET });
    const error = (await gone.getToken('https://storage.azure.com/.default', { requestOptions: { timeout: 2_000 } }).catch((e: unknown) => e)) as ManagedIdentityTokenError;
    expect(error).toBeInstanceOf(ManagedIdentityTokenError);
    expect(error.statusCode).toBeUndefined();
    expect(error.message).toMatch(/could not be reached .* after 4 tries/);
  }, 30_000);
});

describe('azureCredential (which credential an app gets)', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  it('knows App Service by IDENTITY_ENDPOINT + IDENTITY_HEADER, not Service Fabric or Arc', () => {
    const base = { IDENTITY_ENDPOINT: 'http://127.0.0.1:41741/msi/token', IDENTITY_HEADER: SECRET };
    expect(appServiceIdentityEndpoint(base)).toEqual({ endpoint: base.IDENTITY_ENDPOINT, header: SECRET });
    expect(appServiceIdentityEndpoint({ ...base, IDENTITY_SERVER_THUMBPRINT: 'ab' })).toBeUndefined();
    expect(appServiceIdentityEndpoint({ ...base, IMDS_ENDPOINT: 'http://127.0.0.1:40342' })).toBeUndefined();
    expect(appServiceIdentityEndpoint({ IDENTITY_ENDPOINT: base.IDENTITY_ENDPOINT })).toBeUndefined();
    expect(appServiceIdentityEndpoint({ ...base, IDENTITY_ENDPOINT: 'not a url' })).toBeUndefined();
  });

  it('on App Service: the token service, one credential per identity, shared by every client', () => {
    process.env['IDENTITY_ENDPOINT'] = 'http://127.0.0.1:41741/msi/token';
    process.env['IDENTITY_HEADER'] = SECRET;
    const a = azureCredential({ managedIdentityClientId: CLIENT_ID });
    expect(a).toBeInstanceOf(AppServiceManagedIdentityCredential);
    expect(azureCredential({ managedIdentityClientId: CLIENT_ID })).toBe(a);
    expect(azureCredential({ managedIdentityClientId: 'other' })).not.toBe(a);
    expect(azureCredential({ managedIdentityClientId: CLIENT_ID, managedIdentityOnly: true })).toBeInstanceOf(AppServiceManagedIdentityCredential);
  });

  it('elsewhere, or with a service principal configured, @azure/identity (deferred)', () => {
    expect(azureCredential()).not.toBeInstanceOf(AppServiceManagedIdentityCredential);
    process.env['IDENTITY_ENDPOINT'] = 'http://127.0.0.1:41741/msi/token';
    process.env['IDENTITY_HEADER'] = SECRET;
    process.env['AZURE_CLIENT_SECRET'] = 'configured';
    expect(azureCredential({ managedIdentityClientId: CLIENT_ID })).not.toBeInstanceOf(AppServiceManagedIdentityCredential);
    // Application Insights' Entra auth is managed identity only, as ManagedIdentityCredential was.
    expect(azureCredential({ managedIdentityClientId: CLIENT_ID, managedIdentityOnly: true })).toBeInstanceOf(AppServiceManagedIdentityCredential);
  });

  it('the deferred credential is @azure/identity’s, built on the first token request', async () => {
    process.env['AZURE_TENANT_ID'] = '00000000-0000-0000-0000-0000000000t1';
    process.env['AZURE_CLIENT_ID'] = CLIENT_ID;
    process.env['AZURE_CLIENT_SECRET'] = 'not-a-real-secret';
    process.env['AZURE_AUTHORITY_HOST'] = 'http://127.0.0.1:1';
    // The service principal from the environment is tried against an unreachable authority: the
    // error is @azure/identity's own, which shows the deferred credential is that package's.
    const error = (await azureCredential().getToken('https://storage.azure.com/.default').catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toMatch(/CredentialUnavailableError|AuthenticationError|AggregateAuthenticationError/);
    expect(error.message).not.toContain('not-a-real-secret');
  }, 60_000);
});
