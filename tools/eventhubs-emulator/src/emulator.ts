import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveConfig, type EmulatorConfig, type EmulatorOptions } from './config';
import { emulatorConnectionString } from './connection-string';
import { stderrLogger } from './log';
import { AmqpServer } from './server/amqp-server';
import { Namespace } from './server/namespace';

export interface EventHubsEmulator {
  /** For the first hub, with EntityPath. */
  readonly connectionString: string;
  readonly port: number;
  readonly dataDir: string;
  readonly config: EmulatorConfig;
  /** For `hub`, with EntityPath; throws for a hub that is not configured. */
  connectionStringFor(hub: string): string;
  /** Runs retention now (it also runs every `retentionIntervalMs`). */
  applyRetention(): Promise<void>;
  /** Stops listening, drops connections and closes the logs (pending writes finish first). */
  close(): Promise<void>;
}

/** Starts an emulator in this process. */
export async function start(options: EmulatorOptions): Promise<EventHubsEmulator> {
  const config = resolveConfig(options);
  const log = options.log ?? stderrLogger;
  const dataDir = config.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'eventhubs-emulator-')));
  const namespace = await Namespace.open(config, dataDir, log);
  const server = new AmqpServer(namespace, config, log);
  let port: number;
  try {
    port = await server.listen(config.port);
  } catch (error) {
    await namespace.close();
    throw error;
  }
  const applyRetention = (): Promise<void> => namespace.applyRetention(Date.now(), config.retentionMs, config.retentionBytes);
  let retention = Promise.resolve();
  const timer = setInterval(() => {
    retention = retention.then(applyRetention).catch((error: unknown) => log('retention failed', { error: error instanceof Error ? error.message : String(error) }));
  }, config.retentionIntervalMs);
  timer.unref();
  await applyRetention();
  const firstHub = config.hubs[0]?.name;
  let closing: Promise<void> | undefined;
  return {
    connectionString: emulatorConnectionString(port, firstHub, config.sas),
    port,
    dataDir,
    config,
    connectionStringFor(hub: string): string {
      const found = namespace.hub(hub);
      if (!found) throw new Error(`hub "${hub}" is not configured`);
      return emulatorConnectionString(port, found.name, config.sas);
    },
    applyRetention,
    close(): Promise<void> {
      closing ??= (async () => {
        clearInterval(timer);
        await server.close();
        await retention;
        await namespace.close();
      })();
      return closing;
    },
  };
}
