import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { RESOURCE_NAMES, type StackDescriptor } from '@telemetry/contracts';
import { spawnEmulator, type SpawnedEmulator } from '@telemetry/eventhubs-emulator';
import { startAzurite, startCosmosServer, startFaultProxy, startMailDev, type AzuriteInstance, type CosmosServerInstance, type FaultProxy, type MailDevInstance } from '@telemetry/local-services';
import { stopAll } from './stop-all';

export interface StackServicesOptions {
  /** Azurite's data and the emulator's log live under it. */
  dataDir: string;
  hubName?: string;
  consumerGroup?: string;
  partitions?: number;
  echo?: boolean;
  /** Called as each service becomes ready (start-up progress), with its URL when a person opens it. */
  onReady?: (step: string, url?: string) => void;
  /**
   * Start MailDev, the operators' inbox (default true). Only the circuit breaker sends mail; a stack
   * without it skips MailDev (~3 CPU-s to start, its web UI idling beside) and has no `mail` in its
   * descriptor.
   */
  mail?: boolean;
}

/** Who the breaker's e-mails come from and go to on the local stack (MailDev accepts any address). */
export const STACK_MAIL_FROM = 'breaker@telemetry.local';
export const STACK_MAIL_TO = 'operators@telemetry.local';

/** The emulator's authorization rule in the dev stack (the service's default rule name). */
export const STACK_SAS_KEY_NAME = 'RootManageSharedAccessKey';
/** The rule the apps' Event Hubs connection uses: Listen only, as the apps' Data Receiver role in Azure. */
export const STACK_LISTEN_KEY_NAME = 'AppsListen';

/** What the stack's services are reached at: the descriptor before any app runs. */
export type StackBase = Omit<StackDescriptor, 'apps' | 'dashboard'>;

export interface StackServices {
  base: StackBase;
  azurite: AzuriteInstance;
  cosmos: CosmosServerInstance;
  /** Apps reach Cosmos through this proxy, so outages and throttling can be injected. */
  cosmosProxy: FaultProxy;
  emulator: SpawnedEmulator;
  /** MailDev: the breaker's operator e-mails arrive here over SMTP (the local stand-in for ACS Email); absent when not asked for. */
  mail?: MailDevInstance;
  /**
   * The apps' Event Hubs connection string: a Listen-only rule (the apps only consume and read
   * partition properties; in Azure their identities hold Data Receiver). The descriptor's connection
   * string keeps the Manage rule, for the simulator and tools.
   */
  appEventHubConnection: string;
  stop(): Promise<void>;
}

/**
 * Step 1 of a stack: Azurite, the Cosmos server (behind a fault proxy) and the Event Hubs emulator,
 * each on free loopback ports. Stops what it started if any of them fails.
 */
export async function startStackServices(options: StackServicesOptions): Promise<StackServices> {
  const hubName = options.hubName ?? 'telemetry';
  const consumerGroup = options.consumerGroup ?? 'ingestion';
  const partitions = options.partitions ?? 4;
  const cleanup: (() => Promise<unknown>)[] = [];
  const listenRule = { keyName: STACK_LISTEN_KEY_NAME, key: randomBytes(32).toString('base64'), rights: ['Listen' as const] };
  try {
    const ready = <T>(step: string, starting: Promise<T>, url?: (value: T) => string): Promise<T> => starting.then((value) => (options.onReady?.(step, url?.(value)), value));
    const started = await Promise.allSettled([
      // A storage key of the stack's own: the published Azurite key would let any local user read
      // and change the dead letters, the breaker's task hub and checkpoints.
      ready('Azurite', startAzurite({ location: path.join(options.dataDir, 'azurite'), accountKey: randomBytes(64).toString('base64') })),
      ready('Cosmos server', startCosmosServer()),
      // SAS on, as the service: apps and tools use the product's SAS path and a wrong key is refused.
      // A fresh key per stack; it lives in the connection string (0600 .local/stack.json, the
      // hosts' environments) and the emulator's environment, never a command line.
      ready('Event Hubs emulator', spawnEmulator({
        dataDir: path.join(options.dataDir, 'eventhubs'),
        hubs: [{ name: hubName, partitions, consumerGroups: [consumerGroup] }],
        sas: { keyName: STACK_SAS_KEY_NAME, key: randomBytes(32).toString('base64') },
        sasRules: [listenRule],
        echo: options.echo,
      })),
      // The operators' inbox: SMTP and its web UI, each on a free loopback port; mails kept under dataDir.
      ...(options.mail === false ? [] : [ready('MailDev', startMailDev({ echo: options.echo, mailDirectory: path.join(options.dataDir, 'mail') }), (m) => m.webUrl)]),
    ]);
    for (const s of started) if (s.status === 'fulfilled') cleanup.push(() => s.value.stop());
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    const [azurite, cosmos, emulator, mail] = started.map((s) => (s as PromiseFulfilledResult<unknown>).value) as [AzuriteInstance, CosmosServerInstance, SpawnedEmulator, MailDevInstance | undefined];
    const cosmosProxy = await startFaultProxy(cosmos.endpoint);
    cleanup.push(() => cosmosProxy.close());
    const base: StackBase = {
      eventHubs: { connectionString: emulator.connectionString.replace(/;EntityPath=[^;]*/, ''), hubName, consumerGroup, partitions },
      storage: { connectionString: azurite.connectionString },
      cosmos: { endpoint: cosmosProxy.endpoint, key: cosmos.key, database: RESOURCE_NAMES.cosmosDatabase, container: RESOURCE_NAMES.cosmosContainer },
      queues: { deadLetter: RESOURCE_NAMES.deadLetterQueue, claimCheckContainer: RESOURCE_NAMES.claimCheckContainer, parkingTable: RESOURCE_NAMES.parkingTable },
      ...(mail ? { mail: { webUrl: mail.webUrl, webUser: mail.webUser, webPassword: mail.webPassword, smtpHost: mail.smtpHost, smtpPort: mail.smtpPort, from: STACK_MAIL_FROM, to: STACK_MAIL_TO } } : {}),
      dataDir: options.dataDir,
      startedAt: new Date().toISOString(),
    };
    const appEventHubConnection = base.eventHubs.connectionString
      .replace(/SharedAccessKeyName=[^;]*/, `SharedAccessKeyName=${listenRule.keyName}`)
      .replace(/SharedAccessKey=[^;]*/, `SharedAccessKey=${listenRule.key}`);
    return { base, azurite, cosmos, cosmosProxy, emulator, ...(mail ? { mail } : {}), appEventHubConnection, stop: () => stopAll(cleanup) };
  } catch (error) {
    await stopAll(cleanup);
    throw error;
  }
}
