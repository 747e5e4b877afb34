import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppSettings } from '../config/app-settings';
import type { HostJson } from '../config/host-json';
import type { Registration } from '../core/registration';
import { connectionString } from '../drivers/connection-setting';
import type { AuthLevel, HostKeys } from '../drivers/http/host-keys';
import type { TriggerDriverRegistry } from '../drivers/trigger-driver-registry';
import { toError } from '../errors';
import type { InputBindingResolvers } from '../invocation/input-binding-resolvers';
import type { Logger } from '../logging/logger';
import { BlobTaskHubStore } from './blob-task-hub-store';
import { DurableClock } from './durable-clock';
import { DurableEngine } from './durable-engine';
import { DURABLE_TRIGGER_KINDS, DurableFunctionTable } from './durable-function-table';
import { DurableHttpApi } from './durable-http-api';
import { DurableRpcListener } from './durable-rpc-listener';
import { parseDurableSettings, type DurableSettings } from './durable-settings';
import { DurableTriggerDriver } from './durable-trigger-driver';
import { FileTaskHubStore } from './file-task-hub-store';
import type { TaskHubStore } from './task-hub-store';

export interface DurableExtensionOptions {
  settings: AppSettings;
  hostJson: Readonly<HostJson>;
  logger: Logger;
  keys: HostKeys;
  baseUrl: () => string;
}

/** True when the app registers Durable triggers or a durable client input (the host then enables Durable). */
export function usesDurable(registrations: readonly Registration[]): boolean {
  return registrations.some(
    (r) => String(r.triggerType).toLowerCase() in DURABLE_TRIGGER_KINDS || Object.values(r.metadata.bindings).some((b) => /^(durableClient|orchestrationClient)$/i.test(String(b.type))),
  );
}

/**
 * Durable Functions in the local host: drivers for the three Durable triggers, the
 * `durableClient` input, the client HTTP API, and the admin clock. Built in: the host turns it on
 * when the app registers Durable functions.
 */
export class DurableExtension {
  readonly settings: DurableSettings;
  readonly engine: DurableEngine;
  readonly api: DurableHttpApi;
  private readonly table = new DurableFunctionTable();
  private readonly rpc: DurableRpcListener;

  constructor(private readonly options: DurableExtensionOptions) {
    this.settings = parseDurableSettings(options.settings, options.hostJson);
    const { hubName, connectionName, storeDir, clock, maxConcurrentActivities } = this.settings;
    const store: TaskHubStore = storeDir
      ? new FileTaskHubStore(storeDir, hubName)
      : new BlobTaskHubStore(connectionString(options.settings, connectionName, 'AzureWebJobsStorage', 'Durable Functions task hub'), hubName);
    this.engine = new DurableEngine({ store, clock: new DurableClock(clock), functions: this.table, logger: options.logger, maxConcurrentActivities });
    this.api = new DurableHttpApi({
      engine: this.engine,
      hubName,
      connectionName: 'Storage',
      baseUrl: options.baseUrl,
      rpcBaseUrl: () => this.rpc.rpcBaseUrl,
      systemKey: () => options.keys.durableSystemKey,
    });
    this.rpc = new DurableRpcListener(this.api, options.logger);
  }

  /** Opens the worker-only RPC endpoint; before any function runs, so every durableClient binding has it. */
  async listen(): Promise<void> {
    await this.rpc.listen();
  }

  /** Adds the Durable trigger drivers and the durableClient input; plugins registered earlier win. */
  register(drivers: TriggerDriverRegistry, inputResolvers: InputBindingResolvers): void {
    const kick = (): void => this.engine.kickAll();
    for (const [type, kind] of Object.entries(DURABLE_TRIGGER_KINDS)) {
      if (!drivers.get(type)) drivers.register(type, (context) => new DurableTriggerDriver(context, kind, this.table, kick));
    }
    for (const type of ['durableClient', 'orchestrationClient']) {
      if (!inputResolvers.get(type)) inputResolvers.register(type, () => ({ string: JSON.stringify(this.api.clientBinding()) }));
    }
  }

  async start(): Promise<void> {
    await this.engine.start();
    this.options.logger.log({ level: 'information', message: 'durable task hub started', fields: { hubName: this.settings.hubName, store: this.engine.hub.store.description, clock: this.settings.clock } });
  }

  async stop(): Promise<void> {
    await this.engine.stop();
    await this.rpc.close();
  }

  /** Public port: `/runtime/webhooks/durabletask/*` (function key) and `/admin/durable/*` (master key). */
  async handleHttp(request: { req: IncomingMessage; res: ServerResponse; url: URL; granted: AuthLevel; maxBodyBytes: number }): Promise<boolean> {
    const { req, res, url, granted } = request;
    if (!url.pathname.startsWith('/admin/durable/')) return this.api.handle(request);
    if (granted !== 'admin') return void res.writeHead(401, { 'content-length': '0' }).end(), true;
    const clock = this.engine.clock;
    const reply = (status: number, body: unknown): void => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
    };
    if (url.pathname === '/admin/durable/clock' && req.method === 'GET') return reply(200, { mode: clock.mode, now: new Date(clock.now()).toISOString() }), true;
    if (url.pathname === '/admin/durable/clock/advance' && req.method === 'POST') {
      try {
        const now = clock.advance(Number(url.searchParams.get('ms')));
        return reply(200, { mode: clock.mode, now: new Date(now).toISOString() }), true;
      } catch (thrown) {
        return reply(409, { code: 'CLOCK_NOT_MANUAL', message: toError(thrown).message }), true;
      }
    }
    return reply(404, { code: 'NOT_FOUND', message: `no admin endpoint ${req.method} ${url.pathname}` }), true;
  }
}
