import path from 'node:path';
import { allResources, propertyValue, readBicepFile, type BicepFile } from './bicep-file';
import { evaluate, fileScope, isRecord, UNKNOWN, type Value } from './bicep-literal';
import { INFRA_ROOT } from './infra-files';

interface Grant { identity: string; account: string; role: string; container?: string; queue?: string; table?: string; scope?: 'account' }

const APPS = ['ingestion', 'circuit-breaker', 'dead-letter-reprocessor', 'device-status'];
const BLOB_WRITE_ROLES = ['storageBlobDataOwner', 'storageBlobDataContributor'];

let main: BicepFile;
let rbac: BicepFile;
let grants: Grant[];

const where = (g: Grant): string => `${g.account}/${g.container ?? g.queue ?? g.table ?? '(account)'}`;
const describeGrant = (g: Grant): string => `${g.identity} ${g.role} ${g.container ? 'container' : g.queue ? 'queue' : g.table ? 'table' : 'account'} ${where(g)}`;

function moduleParams(file: BicepFile, symbol: string): Record<string, Value> {
  const body = file.modules.get(symbol)?.body;
  const params = body ? propertyValue(body, 'params') : undefined;
  const value = params ? evaluate(params, fileScope(file)) : UNKNOWN;
  if (!isRecord(value)) throw new Error(`main.bicep: module ${symbol} has no params object`);
  return value;
}

beforeAll(async () => {
  main = await readBicepFile(path.join(INFRA_ROOT, 'main.bicep'));
  rbac = await readBicepFile(path.join(INFRA_ROOT, 'modules', 'rbac.bicep'));
  const names = fileScope(main)('names');
  grants = fileScope(rbac, { names })('storageGrants') as unknown as Grant[];
});

describe('storage grants (modules/rbac.bicep storageGrants, as applied)', () => {
  it('are fully known from the templates (no value depends on a deployment output)', () => {
    expect(Array.isArray(grants)).toBe(true);
    for (const g of grants) {
      for (const v of Object.values(g)) expect(v).not.toBe(UNKNOWN);
      expect([g.container, g.queue, g.table, g.scope].filter((x) => x !== undefined)).toHaveLength(1);
    }
  });

  it('no identity holds a role on a whole account except queue/table roles on its own host account (names made at run time)', () => {
    const accountScoped = grants.filter((g) => g.scope === 'account').map(describeGrant).sort();
    expect(accountScoped).toEqual([
      // the Durable task hub's queues and tables (control queues per partition, History, Instances, Partitions)
      'circuit-breaker storageQueueDataContributor account host:circuit-breaker/(account)',
      // the host's diagnostic events tables, AzureFunctionsDiagnosticEvents<yyyyMM> (and the breaker's task hub tables)
      'circuit-breaker storageTableDataContributor account host:circuit-breaker/(account)',
      'dead-letter-reprocessor storageTableDataContributor account host:dead-letter-reprocessor/(account)',
      'device-status storageTableDataContributor account host:device-status/(account)',
      'ingestion storageTableDataContributor account host:ingestion/(account)',
    ]);
    expect(grants.filter((g) => g.scope === 'account' && (g.role.startsWith('storageBlob') || g.account !== `host:${g.identity}`))).toEqual([]);
  });

  it('deployment packages: each deploy identity writes its own package container and nothing else; no app identity touches the deploy account', () => {
    const deploy = grants.filter((g) => g.account === 'deploy' || g.identity.startsWith('deploy:')).map(describeGrant).sort();
    expect(deploy).toEqual(APPS.map((app) => `deploy:${app} storageBlobDataContributor container deploy/app-package-${app}`).sort());
  });

  it('no app reaches another app\'s host account, except device-status reading ingestion\'s checkpoints', () => {
    const foreign = grants.filter((g) => g.account.startsWith('host:') && g.account !== `host:${g.identity}`).map(describeGrant);
    expect(foreign).toEqual(['device-status storageBlobDataReader container host:ingestion/azure-webjobs-eventhub']);
  });

  it('blob write roles only on the app\'s own host containers, its own package, or the claim-check container it writes', () => {
    const writes = grants.filter((g) => BLOB_WRITE_ROLES.includes(g.role) && !(g.account === `host:${g.identity}` || g.identity.startsWith('deploy:')));
    expect(writes.map(describeGrant).sort()).toEqual([
      'dead-letter-reprocessor storageBlobDataContributor container data/telemetry-deadletter-bodies',
      'ingestion storageBlobDataContributor container data/telemetry-deadletter-bodies',
    ]);
  });

  it('on the data account each app holds exactly what its code uses (device-status: read only, no blob role)', () => {
    const data = (app: string): string[] => grants.filter((g) => g.identity === app && g.account === 'data').map(describeGrant).sort();
    expect(data('ingestion')).toEqual([
      'ingestion storageBlobDataContributor container data/telemetry-deadletter-bodies', // claim-check bodies
      'ingestion storageQueueDataMessageSender queue data/telemetry-deadletter', // dead letters: send only
      'ingestion storageTableDataContributor table data/failurewindow', // failure window
    ]);
    expect(data('circuit-breaker')).toEqual(['circuit-breaker storageTableDataContributor table data/failurewindow']);
    expect(data('dead-letter-reprocessor')).toEqual([
      'dead-letter-reprocessor storageBlobDataContributor container data/telemetry-deadletter-bodies',
      'dead-letter-reprocessor storageQueueDataContributor queue data/telemetry-deadletter',
      'dead-letter-reprocessor storageQueueDataContributor queue data/telemetry-deadletter-poison',
      'dead-letter-reprocessor storageQueueDataContributor queue data/telemetry-deadletter-poison-poison',
      'dead-letter-reprocessor storageTableDataContributor table data/deadletterparking',
    ]);
    expect(data('device-status')).toEqual([
      'device-status storageQueueDataReader queue data/telemetry-deadletter',
      'device-status storageQueueDataReader queue data/telemetry-deadletter-poison',
      'device-status storageQueueDataReader queue data/telemetry-deadletter-poison-poison',
      'device-status storageTableDataReader table data/deadletterparking',
    ]);
  });

  it('each app\'s own host account: the host containers (+ ingestion\'s checkpoints, the breaker\'s task hub)', () => {
    const host = (app: string): string[] => grants.filter((g) => g.identity === app && g.account === `host:${app}` && g.container).map((g) => `${g.role} ${g.container}`).sort();
    const base = ['storageBlobDataOwner azure-webjobs-hosts', 'storageBlobDataOwner azure-webjobs-secrets'];
    expect(host('ingestion')).toEqual([...base, 'storageBlobDataOwner azure-webjobs-eventhub'].sort());
    expect(host('circuit-breaker')).toEqual([...base, ...['leases', 'applease', 'largemessages'].map((s) => `storageBlobDataOwner telemetrybreaker-${s}`)].sort());
    expect(host('dead-letter-reprocessor')).toEqual(base);
    expect(host('device-status')).toEqual(base);
  });

  it('every granted container, queue and table is one main.bicep creates in that account', () => {
    const created = new Map<string, Record<string, Value>>();
    const hostAccounts = fileScope(main)('hostAccounts') as Value[];
    for (const h of hostAccounts) if (isRecord(h)) created.set(`host:${String(h['app'])}`, { containers: h['containers']!, queues: [], tables: [] });
    created.set('data', moduleParams(main, 'dataStorage'));
    created.set('deploy', moduleParams(main, 'deployStorage'));
    for (const g of grants) {
      const account = created.get(g.account);
      expect({ grant: describeGrant(g), known: !!account }).toEqual({ grant: describeGrant(g), known: true });
      const list = (key: string): Value[] => (Array.isArray(account?.[key]) ? (account[key] as Value[]) : []);
      if (g.container) expect(list('containers')).toContain(g.container);
      if (g.queue) expect(list('queues')).toContain(g.queue);
      if (g.table) expect(list('tables')).toContain(g.table);
    }
  });

  it('every identity, account and role a grant names is passed to / declared in rbac.bicep', () => {
    const params = moduleParams(main, 'rbac');
    const principals = params['principals'] ?? UNKNOWN;
    const accounts = params['storageAccounts'] ?? UNKNOWN;
    const roles = fileScope(rbac)('role');
    if (!isRecord(principals) || !isRecord(accounts) || !isRecord(roles)) throw new Error('rbac params/role not object literals');
    for (const g of grants) {
      expect(Object.keys(principals)).toContain(g.identity);
      expect(Object.keys(accounts)).toContain(g.account);
      expect(Object.keys(roles)).toContain(g.role);
    }
  });

  it('applies each grant at its own scope: containers, queues, tables, and accounts only for account grants', () => {
    const assignments = allResources(rbac).filter((r) => r.type === 'Microsoft.Authorization/roleAssignments');
    const scopeOf = (symbol: string): string => {
      const r = allResources(rbac).find((x) => x.symbol === symbol);
      return r ? `${r.type}${r.existing ? ' (existing)' : ''}` : '?';
    };
    const applied = Object.fromEntries(assignments.map((r) => {
      const scope = r.body ? propertyValue(r.body, 'scope') : undefined;
      const root = scope?.type === 'subscript_expression' ? scope.childForFieldName('object')?.text : scope?.type === 'resource_expression' ? scope.text : scope?.text;
      const loop = r.node.namedChildren.at(-1);
      const source = loop?.type === 'for_statement' ? loop.namedChildren.find((c) => c?.type === 'identifier' && c.id !== loop.childForFieldName('initializer')?.id)?.text : undefined;
      return [r.symbol, `${source ?? '-'} -> ${root && !root.includes('::') ? scopeOf(root) : root}`];
    }));
    expect(applied).toEqual({
      eventHubRoles: 'eventHubAssignments -> namespace::hub',
      containerRoles: 'containerGrants -> Microsoft.Storage/storageAccounts/blobServices/containers (existing)',
      queueRoles: 'queueGrants -> Microsoft.Storage/storageAccounts/queueServices/queues (existing)',
      tableRoles: 'tableGrants -> Microsoft.Storage/storageAccounts/tableServices/tables (existing)',
      accountRoles: 'accountGrants -> Microsoft.Storage/storageAccounts (existing)',
      metricsPublisherRoles: 'runtimeApps -> Microsoft.Insights/components (existing)',
      secretRoles: 'secretReaders -> Microsoft.KeyVault/vaults/secrets (existing)',
    });
    // The filters behind those loops split storageGrants by its scope field.
    const filters = ['containerGrants', 'queueGrants', 'tableGrants', 'accountGrants'].map((v) => rbac.variables.get(v)?.text.replace(/\s+/g, ' '));
    expect(filters).toEqual([
      "var containerGrants = filter(storageGrants, g => contains(g, 'container'))",
      "var queueGrants = filter(storageGrants, g => contains(g, 'queue'))",
      "var tableGrants = filter(storageGrants, g => contains(g, 'table'))",
      "var accountGrants = filter(storageGrants, g => contains(g, 'scope') && g.scope == 'account')",
    ]);
  });
});

describe('deployment packages and secrets', () => {
  it('each function app deploys with its deploy identity from the deploy account, not its runtime identity', async () => {
    const app = await readBicepFile(path.join(INFRA_ROOT, 'modules', 'function-app.bicep'));
    const site = allResources(app).find((r) => r.type === 'Microsoft.Web/sites');
    const text = site?.body?.text ?? '';
    expect(text).toMatch(/value: '\$\{deploymentBlobEndpoint\}\$\{deploymentContainerName\}'/);
    expect(text).toMatch(/userAssignedIdentityResourceId: deploymentIdentityId/);
  });

  it('Key Vault has purge protection on', async () => {
    const kv = await readBicepFile(path.join(INFRA_ROOT, 'modules', 'key-vault.bicep'));
    const vault = allResources(kv).find((r) => r.type === 'Microsoft.KeyVault/vaults');
    const properties = vault?.body ? propertyValue(vault.body, 'properties') : undefined;
    expect(properties ? evaluate(properties, fileScope(kv)) : UNKNOWN).toEqual(expect.objectContaining({ enablePurgeProtection: true, enableSoftDelete: true }));
  });
});

describe('Key Vault secrets', () => {
  it('each secret is readable only by the app whose settings reference it; device-status holds no breaker key', async () => {
    const main = await readBicepFile(path.join(INFRA_ROOT, 'main.bicep'));
    const rbac = await readBicepFile(path.join(INFRA_ROOT, 'modules', 'rbac.bicep'));
    const principals = Object.fromEntries(['ingestion', 'circuit-breaker', 'dead-letter-reprocessor', 'device-status'].map((a) => [a, `principal:${a}`]));
    const readers = fileScope(rbac, { principals, hasWebhookSecret: true, names: fileScope(main)('names') })('secretReaders');
    expect(readers).toEqual([
      { principalId: 'principal:circuit-breaker', secret: 'breaker-approval-signing-key' },
      { principalId: 'principal:dead-letter-reprocessor', secret: 'breaker-status-key' },
      { principalId: 'principal:circuit-breaker', secret: 'breaker-webhook-url' },
    ]);
    // ...and those are exactly the secrets the app modules reference.
    const referenced = await Promise.all(['circuit-breaker', 'dead-letter-reprocessor', 'device-status', 'ingestion'].map(async (app) => {
      const text = (await readBicepFile(path.join(INFRA_ROOT, 'apps', `${app}.bicep`))).source;
      return [...text.matchAll(/secrets\/([a-z-]+)\)/g)].map((m) => `${app} ${m[1]}`);
    }));
    expect(referenced.flat().sort()).toEqual(['circuit-breaker breaker-approval-signing-key', 'circuit-breaker breaker-webhook-url', 'dead-letter-reprocessor breaker-status-key']);
  });
});
