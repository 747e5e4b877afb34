import path from 'node:path';
import { freePort } from './free-port';
import { ManagedProcess } from './managed-process';

/** The Cosmos DB emulator's published well-known key; @vercel/cosmosdb-server accepts any key. */
export const COSMOS_EMULATOR_KEY =
  'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';

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
 * than its self-signed HTTPS here). Memory only: a stop loses every document. Pass `port` to
 * come back on the same endpoint after a simulated outage.
 */
export async function startCosmosServer(options: { port?: number; echo?: boolean } = {}): Promise<CosmosServerInstance> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 4; attempt++) {
    const port = options.port ?? (await freePort());
    const proc = new ManagedProcess({
      name: 'cosmos',
      command: process.execPath,
      args: [COSMOS_MAIN, '127.0.0.1', String(port)],
      readyPattern: /Ready to accept/,
      echo: options.echo,
    });
    try {
      await proc.start();
      return { endpoint: `http://127.0.0.1:${port}/`, key: COSMOS_EMULATOR_KEY, port, stop: () => proc.stop(), kill: () => proc.kill() };
    } catch (error) {
      lastError = error;
      await proc.kill();
      if (options.port) break;
    }
  }
  throw lastError;
}
