import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CosmosClient } from '@azure/cosmos';
import { ensureDeadLetterResources, ensureDeviceStateContainer, ensureFailureTable } from '@telemetry/provisioning';
import { connectStorage } from '@telemetry/azure-storage-queue';
import { connectFailureTable } from '@telemetry/azure-tables';
import { spawnEmulator, type SpawnedEmulator } from '@telemetry/eventhubs-emulator';
import { spawnHost, type SpawnedHost } from '@telemetry/local-host';
import { pathToFileURL } from 'node:url';
import {
  freePort,
  ManagedProcess,
  startAzurite,
  startCosmosServer,
  startFaultProxy,
  type AzuriteInstance,
  type CosmosServerInstance,
  type FaultProxy,
} from '@telemetry/local-services';
import { stackAppSettings } from './app-settings';
import { buildApps, builtAppDir, discoverFunctionApps, WORKSPACE_ROOT } from './build-apps';
import type { StackDescriptor } from '@telemetry/contracts';
import { startWebhookSink } from './webhook-sink';

export interface LocalStackOptions {
  /** Data and logs (Azurite, emulator logs, notifications). */
  dataDir: string;
  /** Apps to run; default every function app in apps/. */
  apps?: string[];
  partitions?: number;
  hubName?: string;
  consumerGroup?: string;
  /** Bundle the apps first (default true). */
  build?: boolean;
  /** Write the descriptor here (e.g. .local/stack.json). */
  descriptorFile?: string;
  echo?: boolean;
  /** Serve the operations dashboard when device-status runs (default true). */
  dashboard?: boolean;
  /** Extra settings per app (tests: fast retries, small thresholds). */
  settingsOverrides?: Record<string, Record<string, string>>;
  /**
   * host.json changes per app, merged into `extensions` (tests: a short partition ownership
   * expiry so a killed host's partitions move quickly). The app runs from a patched copy.
   */
  hostJsonExtensions?: Record<string, Record<string, Record<string, unknown>>>;
}

export interface LocalStack {
  descriptor: StackDescriptor;
  hosts: Map<string, SpawnedHost>;
  /** Cosmos is reached through this proxy, so outages and throttling can be injected. */
  cosmosProxy: FaultProxy;
  azurite: AzuriteInstance;
  cosmos: CosmosServerInstance;
  emulator: SpawnedEmulator;
  notifications: unknown[];
  /** The operations dashboard (same-origin proxy to device-status), when served. */
  dashboardUrl?: string;
  /** Starts another host process for an app (e.g. a second ingestion instance). */
  startHost(app: string, name?: string): Promise<SpawnedHost>;
  stop(): Promise<void>;
}

// Start order matters: later apps get earlier apps' URLs (the breaker pauses ingestion).
const ORDER = ['ingestion', 'circuit-breaker', 'dead-letter-reprocessor', 'device-status'];
const rank = (app: string): number => (ORDER.includes(app) ? ORDER.indexOf(app) : ORDER.length);

/**
 * Starts the whole local stack on free loopback ports: Azurite, the Cosmos server (behind a
 * fault proxy), the Event Hubs emulator, and every function app under the local host.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const apps = (options.apps ?? discoverFunctionApps()).sort((a, b) => rank(a) - rank(b));
  const hubName = options.hubName ?? 'telemetry';
  const consumerGroup = options.consumerGroup ?? 'ingestion';
  await mkdir(metricsDir(options.dataDir), { recursive: true });
  const cleanup: (() => Promise<unknown>)[] = [];
  const hosts = new Map<string, SpawnedHost>();
  try {
    const appsDir = path.join(options.dataDir, 'apps');
    const building = options.build === false ? Promise.resolve() : buildApps(apps, processBuildDir());
    const [azurite, cosmos, emulator] = await Promise.all([
      startAzurite({ location: path.join(options.dataDir, 'azurite') }),
      startCosmosServer(),
      spawnEmulator({ dataDir: path.join(options.dataDir, 'eventhubs'), hubs: [{ name: hubName, partitions: options.partitions ?? 4, consumerGroups: [consumerGroup] }] }),
    ]);
    cleanup.push(() => azurite.stop(), () => cosmos.stop(), () => emulator.stop());
    const cosmosProxy = await startFaultProxy(cosmos.endpoint);
    cleanup.push(() => cosmosProxy.close());
    const webhook = await startWebhookSink(path.join(options.dataDir, 'notifications.ndjson'));
    cleanup.push(() => webhook.close());

    const base = {
      eventHubs: { connectionString: emulator.connectionString.replace(/;EntityPath=[^;]*/, ''), hubName, consumerGroup, partitions: options.partitions ?? 4 },
      storage: { connectionString: azurite.connectionString },
      cosmos: { endpoint: cosmosProxy.endpoint, key: cosmos.key, database: 'telemetry', container: 'devices' },
      queues: { deadLetter: 'telemetry-deadletter', claimCheckContainer: 'telemetry-deadletter-bodies', parkingTable: 'deadletterparking' },
      dataDir: options.dataDir,
      startedAt: new Date().toISOString(),
    };
    const direct = new CosmosClient({ endpoint: cosmos.endpoint, key: cosmos.key, connectionPolicy: { enableEndpointDiscovery: false } });
    const { queues, blobs } = connectStorage({ connectionString: azurite.connectionString });
    await Promise.all([
      ensureDeviceStateContainer(direct, base.cosmos.database, base.cosmos.container),
      ensureDeadLetterResources(queues.getQueueClient(base.queues.deadLetter), blobs.getContainerClient(base.queues.claimCheckContainer)),
      // The breaker's shared failure window (Bicep creates it in Azure): without it no failure is counted and the breaker never trips.
      ensureFailureTable(connectFailureTable({ connectionString: azurite.connectionString }, 'failurewindow')),
      building,
    ]);

    const masterKey = randomBytes(24).toString('base64url');
    const functionKey = randomBytes(24).toString('base64url');
    const ports = new Map<string, number>();
    for (const app of apps) ports.set(app, await freePort());
    const baseUrls = Object.fromEntries([...ports].map(([app, port]) => [app, `http://127.0.0.1:${port}`]));
    const settings = stackAppSettings({ descriptor: base, baseUrls, masterKey, functionKey, approvalSigningKey: randomBytes(32).toString('base64'), webhookUrl: webhook.url });

    const appDirs = new Map<string, string>();
    // build: false reuses this process's last build, else what `nx build` put in dist/apps.
    for (const app of apps) {
      const own = path.join(processBuildDir(), app);
      const built = options.build === false && !existsSync(own) ? builtAppDir(app) : own;
      appDirs.set(app, await patchHostJson(built, path.join(appsDir, app), options.hostJsonExtensions?.[app]));
    }
    let instance = 0;
    const startHost = async (app: string, port = 0): Promise<SpawnedHost> => {
      // Each instance writes its metrics snapshot here; the npm start summary merges them.
      const metricsFile = path.join(metricsDir(options.dataDir), `${app}-${++instance}.json`);
      const host = await spawnHost({
        app: appDirs.get(app) ?? builtAppDir(app),
        settings: { ...settings, METRICS_SNAPSHOT_FILE: metricsFile, ...options.settingsOverrides?.[app] },
        port,
        masterKey,
        functionKey,
        echo: options.echo,
        readyTimeoutMs: 60_000,
      });
      cleanup.push(() => host.stop());
      return host;
    };
    for (const app of apps) hosts.set(app, await startHost(app, ports.get(app)));

    const status = hosts.get('device-status');
    let dashboardUrl: string | undefined;
    if (status && options.dashboard !== false) {
      // Its own process (apps are not imported by tools): a same-origin proxy to the API that adds
      // the function key server-side, so the key never reaches the browser.
      const dashboard = new ManagedProcess({
        name: 'dashboard',
        command: process.execPath,
        args: ['--import', pathToFileURL(require.resolve('tsx')).href, path.join(WORKSPACE_ROOT, 'apps/dashboard/src/serve-cli.ts'), '--api', status.baseUrl, '--port', '0'],
        env: { DEVICE_STATUS_FUNCTION_KEY: functionKey },
        readyPattern: /^dashboard: http/,
        readyTimeoutMs: 60_000,
        echo: options.echo,
      });
      cleanup.push(() => dashboard.stop());
      dashboardUrl = /^dashboard: (\S+)/.exec(await dashboard.start())?.[1];
    }
    const descriptor: StackDescriptor = {
      ...base,
      apps: Object.fromEntries([...hosts].map(([app, h]) => [app, { baseUrl: h.baseUrl, functionKey, masterKey }])),
      ...(dashboardUrl ? { dashboard: { url: dashboardUrl } } : {}),
    };
    if (options.descriptorFile) {
      await mkdir(path.dirname(options.descriptorFile), { recursive: true });
      await writeFile(options.descriptorFile, JSON.stringify(descriptor, null, 2) + '\n', { mode: 0o600 });
    }
    return {
      descriptor, hosts, cosmosProxy, azurite, cosmos, emulator, notifications: webhook.received, dashboardUrl,
      startHost: (app) => startHost(app),
      stop: () => stopAll(cleanup),
    };
  } catch (error) {
    await stopAll(cleanup);
    throw error;
  }
}

export const metricsDir = (dataDir: string): string => path.join(dataDir, 'metrics');

let buildDir: string | undefined;

/**
 * Where this process bundles apps: its own folder, so concurrent processes (parallel tests, an
 * `nx build`) never rewrite an app under a running host. Removed when the process exits.
 */
function processBuildDir(): string {
  if (!buildDir) {
    const dir = path.join(tmpdir(), `telemetry-stack-apps-${process.pid}`);
    buildDir = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return buildDir;
}

/** Applies host.json changes in the stack's own copy of a built app (copied there from dist/ if needed). */
async function patchHostJson(built: string, dir: string, extensions?: Record<string, Record<string, unknown>>): Promise<string> {
  if (!extensions) return built;
  if (dir !== built) await cp(built, dir, { recursive: true });
  const hostJson = JSON.parse(await readFile(path.join(dir, 'host.json'), 'utf8')) as { extensions?: Record<string, Record<string, unknown>> };
  hostJson.extensions ??= {};
  for (const [name, values] of Object.entries(extensions)) hostJson.extensions[name] = { ...hostJson.extensions[name], ...values };
  await writeFile(path.join(dir, 'host.json'), JSON.stringify(hostJson, null, 2));
  return dir;
}

async function stopAll(cleanup: (() => Promise<unknown>)[]): Promise<void> {
  // Hosts first (they checkpoint on the way out), then the services they use.
  for (const stop of [...cleanup].reverse()) await stop().catch(() => undefined);
  cleanup.length = 0;
}
