import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';
import { ManagedProcess } from './managed-process';

/** Azurite's published development account (not a secret: it is in Microsoft's docs). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteInstance {
  blobPort: number;
  queuePort: number;
  tablePort: number;
  connectionString: string;
  location: string;
  /** Azurite's process id. */
  pid: number | undefined;
  /** Data in memory only (lost on stop). */
  inMemory: boolean;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

export function azuriteConnectionString(blobPort: number, queuePort: number, tablePort: number, accountKey = AZURITE_KEY): string {
  const base = `http://127.0.0.1`;
  return (
    `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${accountKey};` +
    `BlobEndpoint=${base}:${blobPort}/${AZURITE_ACCOUNT};QueueEndpoint=${base}:${queuePort}/${AZURITE_ACCOUNT};` +
    `TableEndpoint=${base}:${tablePort}/${AZURITE_ACCOUNT};`
  );
}

const azuriteBin = (): string => path.join(path.dirname(require.resolve('azurite/package.json')), 'dist', 'src', 'azurite.js');

export interface StartAzuriteOptions {
  /** Data folder; a fresh temp folder when omitted (none with `inMemory`). */
  location?: string;
  echo?: boolean;
  /** Reuse these ports (e.g. restart after a simulated outage). */
  ports?: { blob: number; queue: number; table: number };
  /**
   * A key of its own for the account (base64) instead of the published one, so that only holders of
   * the connection string get in (Azurite checks Shared Key signatures). Given to Azurite through
   * its environment (`AZURITE_ACCOUNTS`), never its command line.
   */
  accountKey?: string;
  /**
   * Keep every service's data in memory only (Azurite's `--inMemoryPersistence`): nothing is saved,
   * so a stop loses the data, but no autosave rewrites the whole table database every 5 s (its cost
   * grows with the data; Azure's does not). For accounts never restarted.
   */
  inMemory?: boolean;
}

/** Starts Azurite (blob, queue, table) on free loopback ports, bound to 127.0.0.1 only. */
export async function startAzurite(options: StartAzuriteOptions = {}): Promise<AzuriteInstance> {
  // In memory Azurite takes no --location (it refuses both): the folder is then only named, never written.
  const location = options.location ?? (options.inMemory ? '' : await mkdtemp(path.join(tmpdir(), 'azurite-')));
  let lastError: unknown;
  for (let attempt = 0; attempt < 4; attempt++) {
    const ports = options.ports ?? { blob: await freePort(), queue: await freePort(), table: await freePort() };
    const proc = new ManagedProcess({
      name: 'azurite',
      command: process.execPath,
      args: [
        azuriteBin(),
        '--silent', ...(options.inMemory ? ['--inMemoryPersistence'] : ['--location', location]), '--loose', '--skipApiVersionCheck', '--disableTelemetry',
        '--blobHost', '127.0.0.1', '--queueHost', '127.0.0.1', '--tableHost', '127.0.0.1',
        '--blobPort', String(ports.blob), '--queuePort', String(ports.queue), '--tablePort', String(ports.table),
        // Idle connections stay open for minutes, as Azure's front ends keep them (Azurite's default
        // is 5 s): a client reusing a socket just as the server drops it sees "socket hang up" on a
        // healthy service, and the product's clients make one try per call.
        '--blobKeepAliveTimeout', '240', '--queueKeepAliveTimeout', '240', '--tableKeepAliveTimeout', '240',
      ],
      readyPattern: /Table service is successfully listening/,
      echo: options.echo,
      ...(options.accountKey ? { env: { AZURITE_ACCOUNTS: `${AZURITE_ACCOUNT}:${options.accountKey}` } } : {}),
    });
    try {
      await proc.start();
      return {
        blobPort: ports.blob,
        queuePort: ports.queue,
        tablePort: ports.table,
        location,
        pid: proc.pid,
        inMemory: options.inMemory ?? false,
        connectionString: azuriteConnectionString(ports.blob, ports.queue, ports.table, options.accountKey),
        stop: () => proc.stop(),
        kill: () => proc.kill(),
      };
    } catch (error) {
      lastError = error;
      await proc.kill();
      if (options.ports) break;
    }
  }
  throw lastError;
}
