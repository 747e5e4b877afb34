import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { StackDescriptor } from '@telemetry/contracts';
import type { SpawnedEmulator } from '@telemetry/eventhubs-emulator';
import type { SpawnedHost } from '@telemetry/local-host';
import { freePort, ManagedProcess, type AzuriteInstance, type CosmosServerInstance, type FaultProxy } from '@telemetry/local-services';
import { buildStackApps, discoverFunctionApps, WORKSPACE_ROOT } from './build-apps';
import { provisionStack } from './provision-stack';
import { spawnApps } from './spawn-apps';
import { startStackServices } from './stack-services';
import { stopAll } from './stop-all';
import { startWebhookSink } from './webhook-sink';
import { writeSecretFile } from './write-secret-file';
import { assertNoLiveStack } from './live-stack-guard';

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
  /** Start MailDev, the operators' inbox (default: when the stack runs the circuit breaker, the one app that sends mail). */
  mail?: boolean;
  /** Apps to run under the Node inspector ('all' = every app); each gets its own free port on 127.0.0.1. */
  inspect?: string[] | 'all';
  /** Called as each step becomes ready: each service, the bundles, provisioning, each app, the dashboard. */
  onProgress?: (step: StackStep) => void;
}

/** One start-up step that has become ready. */
export interface StackStep {
  /** e.g. 'Azurite', 'Cosmos server', 'Event Hubs emulator', 'app bundles', 'provisioning', 'ingestion', 'dashboard'. */
  name: string;
  kind: 'service' | 'build' | 'provision' | 'app' | 'dashboard';
  /** Where it is reached, when it is a server. */
  url?: string;
  /** The app's inspector (host:port), when it runs under --inspect. */
  inspector?: string;
}

export interface LocalStack {
  descriptor: StackDescriptor;
  /** The current host of each app. */
  hosts: Map<string, SpawnedHost>;
  /** Cosmos is reached through this proxy, so outages and throttling can be injected. */
  cosmosProxy: FaultProxy;
  azurite: AzuriteInstance;
  /** The Cosmos server itself (tests read it directly while the proxy is down). */
  cosmos: CosmosServerInstance;
  emulator: SpawnedEmulator;
  /** The mail catcher's web UI (MailDev): the breaker's operator e-mails (a stack without the breaker has none). */
  mailUrl?: string;
  /** Bodies the operator webhook sink received, in order (the breaker's notices). */
  notifications: unknown[];
  /** The operations dashboard (same-origin proxy to device-status), when served. */
  dashboardUrl?: string;
  /** The inspector port of each app run under `inspect`. */
  inspectPorts: Map<string, number>;
  /** Starts another host process for an app (e.g. a second ingestion instance). */
  startHost(app: string): Promise<SpawnedHost>;
  /** The app settings an app's hosts run with (whether or not this stack runs the app). */
  settingsOf(app: string): Record<string, string>;
  /** Stops an app's host and starts it again on the same port and settings; `hosts` then holds the new one. */
  restartHost(app: string): Promise<SpawnedHost>;
  /** Stops everything the stack started: hosts first, then the services. */
  stop(): Promise<void>;
}

/**
 * Starts the whole local stack on free loopback ports from its steps: services (Azurite, the
 * Cosmos server behind a fault proxy, the Event Hubs emulator, MailDev), provisioning, the apps' bundles,
 * an operator webhook sink, one local host per app, and the dashboard when device-status runs.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const apps = options.apps ?? discoverFunctionApps();
  if (options.descriptorFile) await assertNoLiveStack(options.descriptorFile);
  await mkdir(metricsDir(options.dataDir), { recursive: true });
  const cleanup: (() => Promise<unknown>)[] = [];
  try {
    // Bundling (CPU) overlaps with the services starting (mostly waiting).
    const progress = (step: StackStep): void => options.onProgress?.(step);
    const building = buildStackApps({ apps, dataDir: options.dataDir, build: options.build, hostJsonExtensions: options.hostJsonExtensions })
      .then((built) => (progress({ name: `app bundles (${apps.length})`, kind: 'build' }), built));
    const servicesStarting = startStackServices({
      dataDir: options.dataDir, hubName: options.hubName, consumerGroup: options.consumerGroup, partitions: options.partitions,
      onReady: (name, url) => progress({ name, kind: 'service', ...(url ? { url } : {}) }),
      // The operators' inbox only where something sends mail: the circuit breaker.
      mail: options.mail ?? apps.includes('circuit-breaker'),
    });
    const [built, services] = await Promise.allSettled([building, servicesStarting]);
    if (services.status === 'fulfilled') cleanup.push(() => services.value.stop());
    if (services.status === 'rejected') throw services.reason;
    if (built.status === 'rejected') throw built.reason;
    const { base, azurite, cosmos, cosmosProxy, emulator } = services.value;
    await provisionStack(services.value);
    progress({ name: 'provisioning', kind: 'provision' });
    const webhook = await startWebhookSink(path.join(options.dataDir, 'notifications.ndjson'));
    cleanup.push(() => webhook.close());

    const inspected = options.inspect === 'all' ? apps : (options.inspect ?? []);
    const unknown = inspected.filter((a) => !apps.includes(a));
    if (unknown.length > 0) throw new Error(`--inspect names apps that are not in this stack: ${unknown.join(', ')} (apps: ${apps.join(', ')})`);
    const inspectPorts = new Map<string, number>();
    for (const app of inspected) inspectPorts.set(app, await freePort());
    const appHosts = await spawnApps({
      inspectPorts,
      apps, appDirs: built.value, base, metricsDir: metricsDir(options.dataDir), webhookUrl: webhook.url, settingsOverrides: options.settingsOverrides, echo: options.echo,
      eventHubConnection: services.value.appEventHubConnection,
      onReady: (app, host) => progress({ name: app, kind: 'app', url: host.baseUrl, ...(inspectPorts.has(app) ? { inspector: `127.0.0.1:${inspectPorts.get(app)}` } : {}) }),
    });
    cleanup.push(() => appHosts.stop());
    const { hosts, keysOf } = appHosts;

    const status = hosts.get('device-status');
    let dashboardUrl: string | undefined;
    if (status && options.dashboard !== false) {
      // Its own process (apps are not imported by tools): a same-origin proxy to the API that adds
      // the function key server-side, so the key never reaches the browser.
      const dashboard = new ManagedProcess({
        name: 'dashboard',
        command: process.execPath,
        args: ['--import', pathToFileURL(require.resolve('tsx')).href, path.join(WORKSPACE_ROOT, 'apps/dashboard/src/serve-cli.ts'), '--api', status.baseUrl, '--port', '0'],
        env: { DEVICE_STATUS_FUNCTION_KEY: keysOf('device-status').functionKey },
        readyPattern: /^dashboard: http/,
        readyTimeoutMs: 60_000,
        echo: options.echo,
      });
      cleanup.push(() => dashboard.stop());
      dashboardUrl = /^dashboard: (\S+)/.exec(await dashboard.start())?.[1];
      progress({ name: 'dashboard', kind: 'dashboard', url: dashboardUrl });
    }
    const descriptor: StackDescriptor = {
      ...base,
      apps: Object.fromEntries([...hosts].map(([app, h]) => [app, { baseUrl: h.baseUrl, ...keysOf(app) }])),
      ...(dashboardUrl ? { dashboard: { url: dashboardUrl } } : {}),
    };
    if (options.descriptorFile) writeSecretFile(options.descriptorFile, JSON.stringify(descriptor, null, 2) + '\n');
    return {
      descriptor, hosts, cosmosProxy, azurite, cosmos, emulator, mailUrl: services.value.mail?.webUrl, notifications: webhook.received, dashboardUrl, inspectPorts,
      startHost: (app) => appHosts.startHost(app),
      restartHost: (app) => appHosts.restartHost(app),
      settingsOf: (app) => appHosts.settingsOf(app),
      stop: () => stopAll(cleanup),
    };
  } catch (error) {
    await stopAll(cleanup);
    throw error;
  }
}

export const metricsDir = (dataDir: string): string => path.join(dataDir, 'metrics');
