import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { freePort } from './free-port';
import { ManagedProcess } from './managed-process';

/** A fresh master key: 64 random bytes in base64, the form of an account key. */
export function newCosmosKey(): string {
  return randomBytes(64).toString('base64');
}

export interface CosmosServerInstance {
  endpoint: string;
  key: string;
  port: number;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

/** @vercel/cosmosdb-server with keep-alive (see the file). */
const COSMOS_MAIN = path.join(__dirname, 'cosmosdb-server-main.cjs');

/**
 * Starts @vercel/cosmosdb-server over plain HTTP on a free loopback port (HTTP is 3-5x faster
 * than its self-signed HTTPS here). Memory only: a stop loses every document. Pass `port` (and
 * `key`) to come back on the same endpoint after a simulated outage. Every request must be signed
 * with the instance's key, as Azure requires (the package alone accepts anything): a fresh random
 * key unless `key` is given, passed to the server in its environment.
 */
export async function startCosmosServer(options: { port?: number; key?: string; echo?: boolean } = {}): Promise<CosmosServerInstance> {
  const key = options.key ?? newCosmosKey();
  let lastError: unknown;
  for (let attempt = 0; attempt < 4; attempt++) {
    const port = options.port ?? (await freePort());
    const proc = new ManagedProcess({
      name: 'cosmos',
      command: process.execPath,
      args: [COSMOS_MAIN, '127.0.0.1', String(port)],
      env: { COSMOS_SERVER_KEY: key },
      readyPattern: /Ready to accept/,
      echo: options.echo,
    });
    try {
      await proc.start();
      return { endpoint: `http://127.0.0.1:${port}/`, key, port, stop: () => proc.stop(), kill: () => proc.kill() };
    } catch (error) {
      lastError = error;
      await proc.kill();
      if (options.port) break;
    }
  }
  throw lastError;
}
