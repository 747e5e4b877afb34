import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ManagedProcess } from '@telemetry/local-services';
import { HostAdminClient } from './host-admin-client';
import { hostBundle } from './host-bundle';
import { parseReadyLine, READY_LINE_PATTERN, type ReadyLine } from './host/ready-line';
import { KEYS_ENV, SETTINGS_ENV } from './host/run-host';

export interface SpawnHostOptions {
  /** Built app folder or entry file (.ts fixtures run through tsx). */
  app: string;
  settings?: Record<string, string>;
  settingsFile?: string;
  port?: number;
  masterKey?: string;
  functionKey?: string;
  /** Function-scoped keys (function name -> key): each opens only its own function-level function. */
  functionKeys?: Record<string, string>;
  pluginModules?: string[];
  /** Forward the host's stderr logs to this process's stderr. */
  echo?: boolean;
  readyTimeoutMs?: number;
  /** Extra environment for the host process (not app settings). */
  env?: NodeJS.ProcessEnv;
  /**
   * Memory of the Functions instance this host stands in for (MB). The host process gets the V8
   * heap limit a default Node worker has there (see `heapLimitForInstance`). Default: app setting
   * `LOCAL_HOST_INSTANCE_MEMORY_MB`, else 2048 (Flex Consumption's default, as in
   * infra/modules/function-app.bicep `instanceMemoryMB`).
   */
  instanceMemoryMB?: number;
}

export interface SpawnedHost extends ReadyLine {
  admin: HostAdminClient;
  /** SIGTERM (graceful: triggers finish in-flight work), SIGKILL after the grace. */
  stop(graceMs?: number): Promise<void>;
  kill(): Promise<void>;
  /** The last lines of the host's output (for failure messages). */
  tail(lines?: number): string;
}

/** App setting naming the instance memory (MB) the local host should behave like. */
export const INSTANCE_MEMORY_SETTING = 'LOCAL_HOST_INSTANCE_MEMORY_MB';
/** Flex Consumption's default instance memory (MB); 512 and 4096 are the other sizes. */
export const DEFAULT_INSTANCE_MEMORY_MB = 2048;

/**
 * The old-space limit (MB) V8 gives a Node process by default on a machine of `instanceMemoryMB`:
 * a quarter of physical memory (V8 Heap::HeapSizeFromPhysicalMemory). The real worker runs with
 * these defaults; without the flag the local host would size its heap from the development machine
 * (4 GB on a 24 GB box), collect lazily, and show an RSS no instance would have.
 */
export function heapLimitForInstance(instanceMemoryMB: number): number {
  return Math.max(128, Math.floor(instanceMemoryMB / 4));
}

function instanceMemoryFromSettings(settings: Record<string, string> | undefined): number {
  const raw = settings?.[INSTANCE_MEMORY_SETTING];
  if (raw === undefined || raw === '') return DEFAULT_INSTANCE_MEMORY_MB;
  const mb = Number(raw);
  if (!Number.isInteger(mb) || mb < 256) throw new Error(`${INSTANCE_MEMORY_SETTING} must be an instance memory in MB (e.g. 2048), got "${raw}"`);
  return mb;
}

/** Starts one app in its own host process (one app per OS process, as app settings are process.env). */
export async function spawnHost(options: SpawnHostOptions): Promise<SpawnedHost> {
  const instanceMemoryMB = options.instanceMemoryMB ?? instanceMemoryFromSettings(options.settings);
  // A built (JavaScript) app runs on the compiled host with plain node, as a worker would; .ts
  // fixtures and plugins need the TypeScript loader (tsx, resolved here so the child does not
  // depend on the caller's working directory), for them alone: the host is the same compiled
  // file, not its sources through the loader (which cost every such spawn ~2 CPU-s in CI).
  const needsTypeScript = [options.app, ...(options.pluginModules ?? [])].some((p) => /\.[cm]?ts$/.test(p));
  const entry = [...(needsTypeScript ? ['--import', pathToFileURL(require.resolve('tsx')).href] : []), hostBundle()];
  const args = [`--max-old-space-size=${heapLimitForInstance(instanceMemoryMB)}`, ...entry, '--app', path.resolve(options.app), '--port', String(options.port ?? 0)];
  if (options.settingsFile) args.push('--settings', path.resolve(options.settingsFile));
  // Keys go through the environment (owner-only in /proc), never argv (world-readable).
  const keys = { ...(options.masterKey ? { masterKey: options.masterKey } : {}), ...(options.functionKey ? { functionKey: options.functionKey } : {}), ...(options.functionKeys ? { functionKeys: options.functionKeys } : {}) };
  for (const plugin of options.pluginModules ?? []) args.push('--plugin', path.resolve(plugin));
  const proc = new ManagedProcess({
    name: `local-host:${path.basename(options.app)}`,
    command: process.execPath,
    args,
    env: { ...options.env, [SETTINGS_ENV]: JSON.stringify(options.settings ?? {}), [KEYS_ENV]: JSON.stringify(keys) },
    readyPattern: READY_LINE_PATTERN,
    // Generous: a host compiling its app on a loaded 2-core machine can take tens of seconds to be ready.
    readyTimeoutMs: options.readyTimeoutMs ?? 60_000,
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
