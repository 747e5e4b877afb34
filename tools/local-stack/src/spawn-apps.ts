import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { BREAKER_STATUS_FUNCTION } from '@telemetry/contracts';
import { spawnHost, type SpawnedHost } from '@telemetry/local-host';
import { freePort } from '@telemetry/local-services';
import { stackAppSettings } from './app-settings';
import { bundleMetricsPlugin, METRICS_FILE_ENV } from './metrics-snapshot';
import type { StackBase } from './stack-services';

export interface SpawnAppsOptions {
  apps: string[];
  /** The folder each app runs from (buildStackApps). */
  appDirs: Map<string, string>;
  base: StackBase;
  /** Where each host writes its metrics snapshot (one file per host instance). */
  metricsDir: string;
  /** The operator webhook the breaker notifies (the stack's sink). */
  webhookUrl?: string;
  /** Extra settings per app, over the stack's own (tests: fast retries, small thresholds, stand-ins). */
  settingsOverrides?: Record<string, Record<string, string>>;
  /** The apps' `EventHubConnection` when not the descriptor's (the stack's Listen-only rule). */
  eventHubConnection?: string;
  echo?: boolean;
  /** Apps whose host runs with the Node inspector, each on its own port (127.0.0.1). */
  inspectPorts?: Map<string, number>;
  /** Called as each app's host is ready (start-up progress). */
  onReady?: (app: string, host: SpawnedHost) => void;
}

/** One app's host keys (every instance of the app shares them, as an app's instances do in Azure). */
export interface AppKeys {
  masterKey: string;
  /** The default host key: opens every function-level function of the app. */
  functionKey: string;
  /** Keys scoped to one function each (function name -> key), as `sites/functions/keys` in Azure. */
  functionKeys?: Record<string, string>;
}

export interface AppHosts {
  /** The current host of each app. */
  hosts: Map<string, SpawnedHost>;
  /** The app's own keys: no two apps share a key, so one app's key opens nothing of another's. */
  keysOf(app: string): AppKeys;
  /** The app settings an app's hosts run with. */
  settingsOf(app: string): Record<string, string>;
  /** Starts another host for an app on a free port (e.g. a second ingestion instance). */
  startHost(app: string): Promise<SpawnedHost>;
  /** Stops the app's host and starts it again on the same port with the same settings (a restart). */
  restartHost(app: string): Promise<SpawnedHost>;
  /** Stops every host these handles started, newest first. */
  stop(): Promise<void>;
}

const newKey = (): string => randomBytes(24).toString('base64url');

/** The breaker's key scoped to GET /api/breaker: it reads status and can trip nothing. */
export function breakerStatusKey(keysOf: (app: string) => AppKeys): string {
  const key = keysOf('circuit-breaker').functionKeys?.[BREAKER_STATUS_FUNCTION];
  if (!key) throw new Error(`the circuit-breaker's keys hold no ${BREAKER_STATUS_FUNCTION} key`);
  return key;
}

/**
 * The settings are one superset, but a setting holding another app's key goes only to the apps
 * that use it (least authority): ingestion's master key and the approval signing key to the
 * breaker, the breaker's status-function key to the reprocessor (its status reads). device-status holds
 * none of the breaker's keys: it reads the anonymous summary (issue 13 item 6).
 */
export function keyHolders(keysOf: (app: string) => AppKeys, approvalSigningKey: string): Map<string, readonly string[]> {
  return new Map<string, readonly string[]>([
    [keysOf('ingestion').masterKey, ['circuit-breaker']],
    [approvalSigningKey, ['circuit-breaker']],
    [breakerStatusKey(keysOf), ['dead-letter-reprocessor']],
    // The breaker's host key opens its trip endpoint: no app holds it (operators and tools do).
    [keysOf('circuit-breaker').functionKey, []],
  ]);
}

/** One app's share of the superset: every setting, except another app's key it does not use. */
export function settingsForApp(common: Record<string, string>, holders: Map<string, readonly string[]>, app: string): Record<string, string> {
  return Object.fromEntries(Object.entries(common).filter(([, value]) => holders.get(value)?.includes(app) ?? true));
}

/**
 * Step 4 of a stack: every app in its own local host process, on ports picked up front so each
 * app's settings can name the others' URLs (the breaker pauses ingestion through its admin API);
 * so the hosts start together. Each app has its own master and function key, as in Azure: the
 * settings name only the keys an app needs of another (ingestion's master key for the breaker's
 * switch, the breaker's status-function key for the reprocessor's status reads).
 */
export async function spawnApps(options: SpawnAppsOptions): Promise<AppHosts> {
  const apps = [...options.apps];
  const keys = new Map<string, AppKeys>();
  const keysOf = (app: string): AppKeys => {
    let appKeys = keys.get(app);
    if (!appKeys) {
      const scoped = app === 'circuit-breaker' ? { functionKeys: { [BREAKER_STATUS_FUNCTION]: newKey() } } : {};
      keys.set(app, (appKeys = { masterKey: newKey(), functionKey: newKey(), ...scoped }));
    }
    return appKeys;
  };
  const ports = new Map<string, number>();
  for (const app of apps) ports.set(app, await freePort());
  const baseUrls = Object.fromEntries([...ports].map(([app, port]) => [app, `http://127.0.0.1:${port}`]));
  // The breaker's approval signing key: whoever holds it can mint approval links (resume ingestion).
  const approvalSigningKey = randomBytes(32).toString('base64');
  const common = stackAppSettings({
    descriptor: options.base,
    baseUrls,
    masterKey: keysOf('ingestion').masterKey,
    breakerStatusKey: breakerStatusKey(keysOf),
    approvalSigningKey,
    webhookUrl: options.webhookUrl,
  });
  if (options.eventHubConnection) common['EventHubConnection'] = options.eventHubConnection;
  const holders = keyHolders(keysOf, approvalSigningKey);
  const settingsOf = (app: string): Record<string, string> => ({ ...settingsForApp(common, holders, app), ...options.settingsOverrides?.[app] });

  const hosts = new Map<string, SpawnedHost>();
  const live: SpawnedHost[] = [];
  let instance = 0;
  let plugin: Promise<string> | undefined;
  const metricsPlugin = (): Promise<string> => (plugin ??= bundleMetricsPlugin(path.join(path.dirname(options.metricsDir), 'host-plugins')));
  const start = async (app: string, port: number): Promise<SpawnedHost> => {
    const dir = options.appDirs.get(app);
    if (!dir) throw new Error(`app "${app}" is not part of this stack (${apps.join(', ')})`);
    // Each instance writes its own metrics snapshot; the npm start summary merges them.
    const metricsFile = path.join(options.metricsDir, `${app}-${++instance}.json`);
    // Written by a host extension the plugin injects (no app setting names it).
    // The inspector on loopback only; its port is fixed per app so a debugger can re-attach after a restart.
    const inspect = options.inspectPorts?.get(app);
    const nodeOptions = inspect === undefined ? {} : { NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --inspect=127.0.0.1:${inspect}`.trim() };
    const host = await spawnHost({
      app: dir, settings: settingsOf(app), env: { [METRICS_FILE_ENV]: metricsFile, ...nodeOptions }, pluginModules: [await metricsPlugin()],
      port, ...keysOf(app), echo: options.echo, readyTimeoutMs: 60_000,
    });
    live.push(host);
    return host;
  };
  const stop = async (): Promise<void> => {
    // Newest first: hosts checkpoint on the way out.
    for (const host of live.splice(0).reverse()) await host.stop().catch(() => undefined);
  };
  const started = await Promise.allSettled(apps.map((app) => start(app, ports.get(app)!).then((host) => (options.onReady?.(app, host), host))));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  started.forEach((s, i) => hosts.set(apps[i]!, (s as PromiseFulfilledResult<SpawnedHost>).value));
  return {
    hosts, keysOf, settingsOf,
    startHost: (app) => start(app, 0),
    restartHost: async (app) => {
      const current = hosts.get(app);
      if (current) {
        await current.stop();
        live.splice(live.indexOf(current), 1);
      }
      const host = await start(app, ports.get(app) ?? 0);
      hosts.set(app, host);
      return host;
    },
    stop,
  };
}
