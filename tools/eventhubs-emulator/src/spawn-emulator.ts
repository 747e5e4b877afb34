import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ManagedProcess } from '@telemetry/local-services';
import { SAS_KEY_ENV, SAS_RULES_ENV } from './cli-options';
import type { HubOptions } from './config';
import type { SasRule } from './service/sas';

export interface SpawnEmulatorOptions {
  hubs: HubOptions[];
  /** Data folder (needed to restart on the same data); a temp folder when omitted. */
  dataDir?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The key reaches the process through its environment, never its command line. */
  sas?: SasRule;
  /** More rules (e.g. Listen-only), also through the environment. */
  sasRules?: SasRule[];
  retentionHours?: number;
  retentionMb?: number;
  fsync?: boolean;
  configFile?: string;
  /** Forward the emulator's stderr logs, prefixed. */
  echo?: boolean;
}

export interface SpawnedEmulator {
  connectionString: string;
  port: number;
  pid: number | undefined;
  /** SIGTERM, then SIGKILL after a grace period. */
  stop(): Promise<void>;
  /** SIGKILL (kill -9) the process group. */
  kill(): Promise<void>;
}

const CLI = path.join(__dirname, 'cli.ts');

function cliArgs(options: SpawnEmulatorOptions): string[] {
  const args = ['--port', String(options.port ?? 0)];
  if (options.dataDir) args.push('--data', options.dataDir);
  for (const hub of options.hubs) {
    const groups = hub.consumerGroups?.length ? `:${hub.consumerGroups.join(',')}` : '';
    args.push('--hub', `${hub.name}:${hub.partitions}${groups}`);
  }
  if (options.sas) args.push('--sas-key-name', options.sas.keyName);
  if (options.retentionHours !== undefined) args.push('--retention-hours', String(options.retentionHours));
  if (options.retentionMb !== undefined) args.push('--retention-mb', String(options.retentionMb));
  if (options.fsync) args.push('--fsync');
  if (options.configFile) args.push('--config', options.configFile);
  return args;
}

/** Runs the emulator CLI as its own process (own CPU, killable with -9) and waits for its connection string. */
export async function spawnEmulator(options: SpawnEmulatorOptions): Promise<SpawnedEmulator> {
  const proc = new ManagedProcess({
    name: 'eventhubs-emulator',
    command: process.execPath,
    // tsx resolved here, so the child does not depend on the caller's working directory.
    args: ['--import', pathToFileURL(require.resolve('tsx')).href, CLI, ...cliArgs(options)],
    ...(options.sas ? { env: { [SAS_KEY_ENV]: options.sas.key, ...(options.sasRules?.length ? { [SAS_RULES_ENV]: JSON.stringify(options.sasRules) } : {}) } } : {}),
    readyPattern: /^Endpoint=sb:\/\/127\.0\.0\.1:\d+;/,
    ...(options.echo === undefined ? {} : { echo: options.echo }),
  });
  let line: string;
  try {
    line = await proc.start();
  } catch (error) {
    await proc.kill();
    throw error;
  }
  const port = Number(/127\.0\.0\.1:(\d+)/.exec(line)?.[1]);
  return { connectionString: line.trim(), port, pid: proc.pid, stop: () => proc.stop(), kill: () => proc.kill() };
}
