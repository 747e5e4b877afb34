import path from 'node:path';
import { BulkOperationType, CosmosClient, type OperationInput } from '@azure/cosmos';
import { TableClient } from '@azure/data-tables';
import { connectStorage } from '@telemetry/azure-storage-queue';
import { ensureDeadLetterResources } from '@telemetry/provisioning';
import { spawnEmulator, type SpawnedEmulator } from '@telemetry/eventhubs-emulator';
import { DELIVERY_LOG_SETTING, type SpawnedHost } from '@telemetry/local-host';
import { startAzurite, startFaultProxy, type AzuriteInstance, type FaultMode, type FaultProxy } from '@telemetry/local-services';
import { startLocalStack, type LocalStack } from '@telemetry/local-stack';
import { ingestionWindowAppSettings, RESOURCE_NAMES, type StackDescriptor } from '@telemetry/contracts';

export interface MatrixStackOptions {
  dataDir: string;
  /** Run the circuit breaker app too (its scenario only: it would pause ingestion on every outage). */
  withBreaker?: boolean;
  /** Bundle the apps first. */
  build?: boolean;
  echo?: boolean;
  /**
   * The accounts of the matrix's own Azurites that a scenario on this stack stops and starts
   * again: they keep their data on disk. The others run with `--inMemoryPersistence`, so their CPU
   * does not grow with their data (Azurite's LokiJS autosave rewrites a whole table database every
   * 5 s: a soak's parking table reached 100 MB of JSON). Unset: every account on disk.
   */
  restarts?: RestartableAccount[];
  /**
   * The ingestion window (s; 0 or unset = none): ingestion's app settings gain
   * ingestionWindowAppSettings(S), as `npm start -- --window S` and Azure set it.
   */
  windowSeconds?: number;
}

/** The matrix's own storage accounts: the dead letters' (DeadLetterStorage) and ingestion's host storage (AzureWebJobsStorage). */
export type RestartableAccount = 'dead-letters' | 'ingestion-host';

/** Whether an account keeps its data on disk on a stack with these restarts (unset: all do). */
export const persistsOnDisk = (account: RestartableAccount, restarts: RestartableAccount[] | undefined): boolean => !restarts || restarts.includes(account);

/** The apps a matrix stack runs (the breaker's scenarios add the circuit breaker). */
export const matrixApps = (withBreaker: boolean): string[] => ['ingestion', 'dead-letter-reprocessor', ...(withBreaker ? ['circuit-breaker'] : [])];

/** Settings that make faults resolve within a scenario's time: fast reprocessing backoff, a small breaker. */
const OVERRIDES = {
  // Ingestion keeps its defaults (5 s store call timeout): shorter ones turn a loaded Cosmos server into STORE_* dead letters.
  ingestion: {},
  'dead-letter-reprocessor': {
    REPROCESS_BACKOFF_BASE_SECONDS: '1', REPROCESS_BACKOFF_MAX_SECONDS: '8', REPROCESS_MAX_ATTEMPTS: '20',
    BREAKER_DEFER_SECONDS: '2', BREAKER_STATUS_CACHE_MS: '1000',
  },
  'circuit-breaker': { BREAKER_THRESHOLD: '20', BREAKER_WINDOW_SECONDS: '15', BREAKER_MODE: 'manual' },
};

/** Ingestion's settings on a matrix stack, before the stack's own connections: the overrides plus the window's settings. */
export const matrixIngestionSettings = (windowSeconds = 0): Record<string, string> => ({ ...OVERRIDES.ingestion, ...ingestionWindowAppSettings(windowSeconds) });

/** A storage account's services, each behind its own fault proxy (the apps get the proxied connection string). */
export interface ProxiedStorage {
  blob: FaultProxy;
  queue: FaultProxy;
  table: FaultProxy;
  /** The account's connection string through the proxies. */
  connectionString: string;
}

async function proxyStorage(account: AzuriteInstance): Promise<ProxiedStorage> {
  const [blob, queue, table] = await Promise.all([account.blobPort, account.queuePort, account.tablePort].map((port) => startFaultProxy(`http://127.0.0.1:${port}`)));
  const connectionString = account.connectionString
    .replace(/BlobEndpoint=http:\/\/127\.0\.0\.1:\d+/, `BlobEndpoint=http://127.0.0.1:${blob!.port}`)
    .replace(/QueueEndpoint=http:\/\/127\.0\.0\.1:\d+/, `QueueEndpoint=http://127.0.0.1:${queue!.port}`)
    .replace(/TableEndpoint=http:\/\/127\.0\.0\.1:\d+/, `TableEndpoint=http://127.0.0.1:${table!.port}`);
  return { blob: blob!, queue: queue!, table: table!, connectionString };
}

const closeStorageProxies = async (p: ProxiedStorage | undefined): Promise<void> => {
  if (p) await Promise.all([p.blob, p.queue, p.table].map((x) => x.close().catch(() => undefined)));
};

/**
 * The local stack as the fault matrix runs it: ingestion and the dead-letter reprocessor (plus the
 * breaker when asked) under the local host, with the dead letters on a second Azurite (the apps'
 * `DeadLetterStorage`) so the dead-letter queue can go down alone, ingestion's host storage
 * (`AzureWebJobsStorage`: its checkpoints and partition ownership) on a third, each behind fault
 * proxies so either account can hang or fail on its own, the breaker's ingestion switch behind a
 * fault proxy too, and handles to inject faults.
 */
export class MatrixStack {
  /** Ingestion host instances alive now (the first is the stack's). */
  readonly ingestion: SpawnedHost[];
  private extra: { stop(): Promise<void> }[] = [];

  private constructor(
    readonly stack: LocalStack,
    private deadLetters: AzuriteInstance,
    private emulator: SpawnedEmulator,
    private readonly options: MatrixStackOptions,
    /** The dead-letter account as the apps reach it. */
    readonly deadLetterProxies: ProxiedStorage,
    /** Ingestion's host storage (checkpoints, ownership) and its proxies, as ingestion reaches it. */
    private readonly hostStorage: AzuriteInstance,
    readonly hostStorageProxies: ProxiedStorage,
    /** The breaker's ingestion switch (its calls to ingestion's control endpoint), when the breaker runs. */
    readonly switchProxy: FaultProxy | undefined,
  ) {
    this.ingestion = [stack.hosts.get('ingestion')!];
  }

  static async start(options: MatrixStackOptions): Promise<MatrixStack> {
    const [deadLetters, hostStorage] = await Promise.all([
      startAzurite({ location: path.join(options.dataDir, 'azurite-deadletters'), inMemory: !persistsOnDisk('dead-letters', options.restarts) }),
      startAzurite({ location: path.join(options.dataDir, 'azurite-ingestion-host'), inMemory: !persistsOnDisk('ingestion-host', options.restarts) }),
    ]);
    let dlProxies: ProxiedStorage | undefined;
    let hostProxies: ProxiedStorage | undefined;
    let switchProxy: FaultProxy | undefined;
    try {
      const { queues, blobs } = connectStorage({ connectionString: deadLetters.connectionString });
      await ensureDeadLetterResources(queues.getQueueClient(RESOURCE_NAMES.deadLetterQueue), blobs.getContainerClient(RESOURCE_NAMES.claimCheckContainer));
      dlProxies = await proxyStorage(deadLetters);
      hostProxies = await proxyStorage(hostStorage);
      // Ingestion's host is only known once the stack runs: the proxy is pointed at it then.
      switchProxy = options.withBreaker ? await startFaultProxy('http://127.0.0.1:1') : undefined;
      const apps = matrixApps(options.withBreaker ?? false);
      const dl = { DeadLetterStorage: dlProxies.connectionString };
      const stack = await startLocalStack({
        dataDir: options.dataDir,
        apps,
        build: options.build ?? true,
        dashboard: false,
        echo: options.echo,
        settingsOverrides: {
          // Every ingestion host process journals its invocations there (exact delivery accounting, DeliveryTracker).
          ingestion: { ...matrixIngestionSettings(options.windowSeconds), ...dl, AzureWebJobsStorage: hostProxies.connectionString, [DELIVERY_LOG_SETTING]: deliveryLogDir(options.dataDir) },
          'dead-letter-reprocessor': { ...OVERRIDES['dead-letter-reprocessor'], ...dl },
          'circuit-breaker': { ...OVERRIDES['circuit-breaker'], ...(switchProxy ? { INGESTION_SWITCH_URL: `${switchProxy.endpoint}admin/functions` } : {}) },
        },
        // A killed host's partitions move after 5 s instead of the default minute.
        hostJsonExtensions: { ingestion: { eventHubs: { loadBalancingUpdateInterval: '00:00:01', partitionOwnershipExpirationInterval: '00:00:05' } } },
      });
      switchProxy?.setTarget(stack.hosts.get('ingestion')!.baseUrl);
      return new MatrixStack(stack, deadLetters, stack.emulator, options, dlProxies, hostStorage, hostProxies, switchProxy);
    } catch (error) {
      await Promise.all([closeStorageProxies(dlProxies), closeStorageProxies(hostProxies), switchProxy?.close()]);
      await Promise.all([deadLetters.stop(), hostStorage.stop()]);
      throw error;
    }
  }

  /**
   * The stack's descriptor, with `storage` naming ingestion's host storage account (direct, not
   * through its proxies): checkpoints and ownership, which the drain, lag and owner reads look at.
   */
  get descriptor(): StackDescriptor {
    return { ...this.stack.descriptor, storage: { connectionString: this.hostStorage.connectionString } };
  }

  /** Every proxied service of the dead-letter account in one mode (e.g. a blackhole). */
  setDeadLetterStorageMode(mode: FaultMode): void {
    for (const p of [this.deadLetterProxies.blob, this.deadLetterProxies.queue, this.deadLetterProxies.table]) p.setMode(mode);
  }

  /** The ingestion window the stack's ingestion hosts run with (s; 0 = none). */
  get windowSeconds(): number {
    return this.options.windowSeconds ?? 0;
  }

  /** Where the ingestion hosts' delivery journals are (see DeliveryTracker). */
  get deliveryLogDir(): string {
    return deliveryLogDir(this.options.dataDir);
  }

  /** The dead letters' storage account (queue, poison queue, claim checks, parking table). */
  get deadLetterStorage(): string {
    return this.deadLetters.connectionString;
  }

  /**
   * Takes the dead-letter storage account down (graceful stop: Azurite saves its data). Only on a
   * stack started with it in `restarts`: an account in memory would come back empty.
   */
  async stopDeadLetterStorage(): Promise<void> {
    if (this.deadLetters.inMemory) throw new Error("the dead-letter account runs in memory on this stack (its data would be lost on a stop): the scenario must declare restarts: ['dead-letters']");
    await this.deadLetters.stop();
  }

  /** Brings it back on the same ports and data folder. */
  async startDeadLetterStorage(): Promise<void> {
    const d = this.deadLetters;
    this.deadLetters = await startAzurite({ location: d.location, ports: { blob: d.blobPort, queue: d.queuePort, table: d.tablePort }, inMemory: d.inMemory });
  }

  /**
   * Pauses (or resumes) the reprocessor's queue triggers. Pausing finishes the messages it holds
   * first. A message whose delete or release fails for longer than the storage client's retries
   * (about 6 s, Azure.Core's defaults, as the Functions host) stays hidden for the rest of its
   * 10-minute receive lease, in Azure too; nothing is lost, but a drain then takes 10 minutes.
   */
  async setReprocessorQueueTriggers(running: boolean): Promise<void> {
    const host = this.stack.hosts.get('dead-letter-reprocessor');
    if (!host) return;
    for (const f of await host.admin.listFunctions()) {
      if (!/queue/i.test(f.triggerType)) continue;
      if (running) await host.admin.resume(f.name);
      else await host.admin.pause(f.name);
    }
  }

  /** Stops the Event Hubs emulator (gracefully, or SIGKILL), waits, and starts it again on the same port and data. */
  async restartEmulator(downMs: number, how: 'stop' | 'kill' = 'stop'): Promise<void> {
    await (how === 'kill' ? this.emulator.kill() : this.emulator.stop());
    await new Promise((r) => setTimeout(r, downMs));
    const d = this.descriptor.eventHubs;
    this.emulator = await spawnEmulator({
      dataDir: path.join(this.options.dataDir, 'eventhubs'), port: this.emulator.port,
      hubs: [{ name: d.hubName, partitions: d.partitions, consumerGroups: [d.consumerGroup] }],
    });
  }

  /** Another ingestion instance on the same hub and consumer group (they share the partitions). */
  async addIngestionHost(): Promise<SpawnedHost> {
    const host = await this.stack.startHost('ingestion');
    this.ingestion.push(host);
    return host;
  }

  /** SIGKILL: no checkpoint, no ownership release. */
  async killIngestionHost(host: SpawnedHost): Promise<void> {
    await host.kill();
    this.ingestion.splice(this.ingestion.indexOf(host), 1);
  }

  /** Graceful stop: the in-flight batch is checkpointed and ownership released. */
  async stopIngestionHost(host: SpawnedHost): Promise<void> {
    await host.stop();
    this.ingestion.splice(this.ingestion.indexOf(host), 1);
  }

  /**
   * Between scenarios: every device document deleted (straight on the Cosmos server, not through
   * the fault proxy) and the parking table dropped, so each scenario is audited on its own. The
   * apps' caches recover by themselves (a replace of a deleted document is a 404: re-read, create).
   */
  async resetStores(): Promise<void> {
    const d = this.descriptor.cosmos;
    const container = new CosmosClient({ endpoint: this.stack.cosmos.endpoint, key: this.stack.cosmos.key, connectionPolicy: { enableEndpointDiscovery: false } })
      .database(d.database).container(d.container);
    const { resources } = await container.items.query<{ id: string; deviceId?: string }>('SELECT c.id, c.deviceId FROM c').fetchAll();
    for (let i = 0; i < resources.length; i += 100) {
      const ops: OperationInput[] = resources.slice(i, i + 100).map((r) => ({ operationType: BulkOperationType.Delete, id: r.id, partitionKey: r.deviceId ?? r.id }));
      await container.items.bulk(ops);
    }
    const table = TableClient.fromConnectionString(this.deadLetterStorage, this.descriptor.queues.parkingTable, { allowInsecureConnection: true });
    await table.deleteTable().catch(() => undefined);
  }

  /** Keeps something to stop with the stack (e.g. a restarted service). */
  track(stoppable: { stop(): Promise<void> }): void {
    this.extra.push(stoppable);
  }

  async stop(): Promise<void> {
    await this.stack.stop();
    for (const s of this.extra) await s.stop().catch(() => undefined);
    await this.emulator.stop().catch(() => undefined);
    await Promise.all([closeStorageProxies(this.deadLetterProxies), closeStorageProxies(this.hostStorageProxies), this.switchProxy?.close()]);
    await this.deadLetters.stop().catch(() => undefined);
    await this.hostStorage.stop().catch(() => undefined);
  }
}

const deliveryLogDir = (dataDir: string): string => path.join(dataDir, 'deliveries');
