import path from 'node:path';
import { toError } from '../errors';
import { JsonLogger } from '../logging/logger';
import { readSettingsFile } from './load-settings';
import { LocalHost, type LocalHostOptions } from './local-host';
import type { LocalHostPlugin } from './local-host-plugin';
import type { ReadyLine } from './ready-line';

/** Settings passed by `spawnHost` (JSON object), removed from the environment once read. */
export const SETTINGS_ENV = 'LOCAL_HOST_SETTINGS';
/**
 * The host's keys, `{ "masterKey": "..", "functionKey": "..", "functionKeys": { "<function>": ".." } }`, removed from the environment once
 * read. Keys never travel on the command line: `/proc/<pid>/cmdline` is readable by every user of
 * the machine, a process's environment only by its owner (like the 0600 `.local/stack.json`).
 */
export const KEYS_ENV = 'LOCAL_HOST_KEYS';

function takeKeysFromEnv(): { masterKey?: string; functionKey?: string; functionKeys?: Record<string, string> } {
  const raw = process.env[KEYS_ENV];
  delete process.env[KEYS_ENV];
  if (!raw) return {};
  const parsed = JSON.parse(raw) as { masterKey?: unknown; functionKey?: unknown; functionKeys?: unknown };
  const scoped = parsed.functionKeys && typeof parsed.functionKeys === 'object' ? Object.entries(parsed.functionKeys as Record<string, unknown>) : [];
  const functionKeys = Object.fromEntries(scoped.filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''));
  return {
    ...(typeof parsed.masterKey === 'string' && parsed.masterKey ? { masterKey: parsed.masterKey } : {}),
    ...(typeof parsed.functionKey === 'string' && parsed.functionKey ? { functionKey: parsed.functionKey } : {}),
    ...(Object.keys(functionKeys).length ? { functionKeys } : {}),
  };
}

export interface RunHostOptions extends Omit<LocalHostOptions, 'plugins'> {
  settingsFile?: string;
  /** Module paths exporting a LocalHostPlugin as `register` or default. */
  pluginModules?: string[];
  /** Install SIGTERM/SIGINT handlers that stop gracefully and exit 0 (the CLI does). */
  handleSignals?: boolean;
  /** Where the ready line goes (default: stdout). */
  writeReadyLine?: (line: string) => void;
}

function loadPlugin(file: string): LocalHostPlugin {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- plugins are loaded by path at run time
  const mod = require(path.resolve(file)) as { register?: LocalHostPlugin; default?: LocalHostPlugin };
  const plugin = mod.register ?? mod.default;
  if (typeof plugin !== 'function') throw new Error(`plugin ${file} exports no register function`);
  return plugin;
}

/** Runs one app's host in this process and prints the ready line on stdout. */
export async function runHost(options: RunHostOptions): Promise<LocalHost> {
  const logger = options.logger ?? new JsonLogger();
  const fromEnv = process.env[SETTINGS_ENV];
  delete process.env[SETTINGS_ENV];
  const keys = takeKeysFromEnv();
  const settings = {
    ...(options.settingsFile ? readSettingsFile(options.settingsFile) : {}),
    ...(fromEnv ? (JSON.parse(fromEnv) as Record<string, string>) : {}),
    ...options.settings,
  };
  const host = await LocalHost.start({ ...keys, ...options, settings, logger, plugins: (options.pluginModules ?? []).map(loadPlugin) });
  const ready: ReadyLine = {
    ready: true,
    baseUrl: host.baseUrl,
    pid: process.pid,
    functions: host.listFunctions(),
    masterKey: host.keys.masterKey,
    functionKey: host.keys.functionKey,
  };
  (options.writeReadyLine ?? ((line: string) => process.stdout.write(line)))(JSON.stringify(ready) + '\n');
  if (options.handleSignals) {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      logger.log({ level: 'information', message: 'signal received, stopping', fields: { signal } });
      host
        .stop()
        .then(() => process.exit(0))
        .catch((e: unknown) => {
          logger.log({ level: 'error', message: 'graceful stop failed', fields: { error: toError(e).message } });
          process.exit(1);
        });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }
  return host;
}
