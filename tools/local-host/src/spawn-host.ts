import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ManagedProcess } from '@telemetry/local-services';
import { HostAdminClient } from './host-admin-client';
import { parseReadyLine, READY_LINE_PATTERN, type ReadyLine } from './host/ready-line';
import { SETTINGS_ENV } from './host/run-host';

export interface SpawnHostOptions {
  /** Built app folder or entry file (.ts fixtures run through tsx). */
  app: string;
  settings?: Record<string, string>;
  settingsFile?: string;
  port?: number;
  masterKey?: string;
  functionKey?: string;
  pluginModules?: string[];
  /** Forward the host's stderr logs to this process's stderr. */
  echo?: boolean;
  readyTimeoutMs?: number;
  /** Extra environment for the host process (not app settings). */
  env?: NodeJS.ProcessEnv;
}

export interface SpawnedHost extends ReadyLine {
  admin: HostAdminClient;
  /** SIGTERM (graceful: triggers finish in-flight work), SIGKILL after the grace. */
  stop(graceMs?: number): Promise<void>;
  kill(): Promise<void>;
  /** The last lines of the host's output (for failure messages). */
  tail(lines?: number): string;
}

const CLI = path.join(__dirname, 'cli.ts');

/** Starts one app in its own host process (one app per OS process, as app settings are process.env). */
export async function spawnHost(options: SpawnHostOptions): Promise<SpawnedHost> {
  // tsx resolved here, so the child does not depend on the caller's working directory.
  const args = ['--import', pathToFileURL(require.resolve('tsx')).href, CLI, '--app', path.resolve(options.app), '--port', String(options.port ?? 0)];
  if (options.settingsFile) args.push('--settings', path.resolve(options.settingsFile));
  if (options.masterKey) args.push('--master-key', options.masterKey);
  if (options.functionKey) args.push('--function-key', options.functionKey);
  for (const plugin of options.pluginModules ?? []) args.push('--plugin', path.resolve(plugin));
  const proc = new ManagedProcess({
    name: `local-host:${path.basename(options.app)}`,
    command: process.execPath,
    args,
    env: { ...options.env, [SETTINGS_ENV]: JSON.stringify(options.settings ?? {}) },
    readyPattern: READY_LINE_PATTERN,
    readyTimeoutMs: options.readyTimeoutMs ?? 30_000,
    echo: options.echo,
  });
  let line: string;
  try {
    line = await proc.start();
  } catch (error) {
    await proc.kill();
    throw error;
  }
  const ready = parseReadyLine(line);
  return {
    ...ready,
    admin: new HostAdminClient(ready.baseUrl, ready.masterKey),
    stop: (graceMs) => proc.stop(graceMs ?? 15_000),
    kill: () => proc.kill(),
    tail: (lines) => proc.tail(lines),
  };
}
