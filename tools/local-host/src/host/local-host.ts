import { FunctionMetrics, type FunctionMetricsSnapshot } from '../admin/function-metrics';
import type { FunctionInfo, HostControl, HostStatus } from '../admin/host-control';
import { hostMemory } from '../admin/host-memory';
import { AppSettings } from '../config/app-settings';
import { readHostJson, type HostJson } from '../config/host-json';
import type { FunctionRegistry } from '../core/function-registry';
import type { Registration } from '../core/registration';
import { createHostKeys, type HostKeys } from '../drivers/http/host-keys';
import { HttpRouter } from '../drivers/http/http-router';
import { HostHttpServer } from '../drivers/http/http-server';
import { ALLOWED_HOSTS_SETTING, parseAllowedHosts } from '../drivers/http/loopback-host';
import { BODY_SIZE_LIMIT_SETTING, parseBodySizeLimit } from '../drivers/http/request-body';
import type { TriggerDriver } from '../drivers/trigger-driver';
import type { TriggerDriverRegistry } from '../drivers/trigger-driver-registry';
import { DurableExtension, usesDurable } from '../durable/durable-extension';
import { LocalHostError, toError } from '../errors';
import { BindingClients } from '../bindings/binding-clients';
import { registerBuiltinBindings } from '../bindings/builtin-bindings';
import { OutputBindingWriters } from '../bindings/output-binding-writers';
import { FunctionExecutor } from '../invocation/function-executor';
import { InputBindingResolvers } from '../invocation/input-binding-resolvers';
import { appHookDataOf, appLevelOnlyHookDataOf } from '../invocation/invoke-function';
import { runHooks } from '../invocation/run-hooks';
import { JsonLogger, type Logger } from '../logging/logger';
import { DURABLE_TASK_CATEGORY, filteredLogger, HOST_STARTUP, LogLevelFilter, triggerCategory } from '../logging/log-level-filter';
import path from 'node:path';
import { hostIdOf } from '../drivers/timer/schedule-monitor';
import { defaultDrivers } from './default-drivers';
import { loadApp } from './load-app';
import type { LocalHostPlugin } from './local-host-plugin';
import { resolveApp } from './resolve-app';
import { readSwitchedOff, recordSwitch, SWITCH_FILE_SETTING } from './switch-file';

export const LOCAL_HOST_VERSION = '0.1.0';

export interface LocalHostOptions {
  /** Built app folder (package.json main + host.json) or an entry file (.js / .ts under tsx). */
  app: string;
  /** App settings (local.settings.json Values). They become this process's environment. */
  settings?: Record<string, string>;
  /** 0 or undefined: a free port. */
  port?: number;
  /** Admin key; falls back to setting LOCAL_HOST_MASTER_KEY, else generated. */
  masterKey?: string;
  /** Default host function key; falls back to setting LOCAL_HOST_FUNCTION_KEY, else generated. */
  functionKey?: string;
  /** Function-scoped keys (function name -> key): each opens only its own function-level function. */
  functionKeys?: Record<string, string>;
  logger?: Logger;
  drivers?: TriggerDriverRegistry;
  inputResolvers?: InputBindingResolvers;
  outputWriters?: OutputBindingWriters;
  plugins?: LocalHostPlugin[];
}

interface HostedFunction {
  registration: Registration;
  metrics: FunctionMetrics;
  driver?: TriggerDriver;
  disabled: boolean;
  /** Paused by the switch file when the host started: its trigger starts only on resume. */
  deferred?: boolean;
}

/** How often a host reads the switch file for pauses and resumes made through another host. */
const SWITCH_POLL_MS = 1_000;

/**
 * The local Functions host for ONE app in THIS process (app settings become process.env, as in
 * Azure). Use `spawnHost` to run apps side by side.
 */
export class LocalHost implements HostControl {
  private readonly functions = new Map<string, HostedFunction>();
  private hostState: HostStatus['state'] = 'Initialized';
  private readonly startedAt = new Date();
  private server?: HostHttpServer;
  private registry?: FunctionRegistry;
  private durable?: DurableExtension;
  private bindingClients?: BindingClients;
  private switchFile?: string;
  private switchPoll?: NodeJS.Timeout;
  /** Pauses and resumes, from the admin API or the switch file, one at a time. */
  private switchOps: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly settings: AppSettings,
    readonly hostJson: Readonly<HostJson>,
    readonly keys: HostKeys,
    private readonly logger: Logger,
  ) {}

  static async start(options: LocalHostOptions): Promise<LocalHost> {
    const logger = options.logger ?? new JsonLogger();
    const app = resolveApp(options.app);
    const values = { ...options.settings };
    // As in Azure, app settings are the app's environment (set before the app's code loads).
    for (const [name, value] of Object.entries(values)) process.env[name] = value;
    const settings = new AppSettings({ ...values });
    const keys = createHostKeys({
      masterKey: options.masterKey ?? settings.get('LOCAL_HOST_MASTER_KEY'),
      functionKey: options.functionKey ?? settings.get('LOCAL_HOST_FUNCTION_KEY'),
      functionKeys: options.functionKeys,
    });
    const hostJson = readHostJson(path.join(app.appDir, 'host.json'));
    // Every log from here on is filtered as host.json's logging.logLevel says, as in Azure.
    const host = new LocalHost(settings, hostJson, keys, filteredLogger(logger, new LogLevelFilter(hostJson.logging?.logLevel)));
    try {
      await host.boot(app, options);
    } catch (thrown) {
      await host.stop().catch(() => undefined);
      throw thrown;
    }
    return host;
  }

  get baseUrl(): string {
    return this.server?.baseUrl ?? '';
  }

  private async boot(app: ReturnType<typeof resolveApp>, options: LocalHostOptions): Promise<void> {
    const drivers = options.drivers ?? defaultDrivers();
    const inputResolvers = options.inputResolvers ?? new InputBindingResolvers();
    const router = new HttpRouter();
    let maxRequestBodyBytes: number;
    try {
      maxRequestBodyBytes = parseBodySizeLimit(this.settings.get(BODY_SIZE_LIMIT_SETTING));
    } catch (thrown) {
      throw new LocalHostError('SETTINGS_INVALID', toError(thrown).message, 'config');
    }
    const allowedHosts = parseAllowedHosts(this.settings.get(ALLOWED_HOSTS_SETTING));
    this.server = new HostHttpServer({ port: options.port ?? 0, routePrefix: this.hostJson.extensions.http.routePrefix, keys: this.keys, router, control: this, logger: this.logger, maxRequestBodyBytes, allowedHosts });
    await this.server.listen();
    const outputWriters = options.outputWriters ?? new OutputBindingWriters();
    for (const plugin of options.plugins ?? []) await plugin({ drivers, inputResolvers, outputWriters, logger: this.logger, baseUrl: () => this.baseUrl });
    this.bindingClients = new BindingClients(this.settings);
    registerBuiltinBindings(inputResolvers, outputWriters, this.bindingClients);
    this.registry = await loadApp(app, this.logger);
    const registry = this.registry;
    if (usesDurable(registry.all())) {
      // Built in: an app with Durable functions gets the task hub, its drivers and the client API.
      this.durable = new DurableExtension({ settings: this.settings, hostJson: this.hostJson, logger: this.logger.child({ source: DURABLE_TASK_CATEGORY }), keys: this.keys, baseUrl: () => this.baseUrl });
      await this.durable.listen();
      this.durable.register(drivers, inputResolvers);
      this.server.addExtension((request) => this.durable!.handleHttp(request));
      // As Core Tools does; durable-functions otherwise rewrites management URLs to localhost:7071.
      process.env['WEBSITE_HOSTNAME'] ??= this.baseUrl.replace(/^https?:\/\//, '');
    }
    const hostId = hostIdOf(this.settings, path.basename(app.appDir));
    this.switchFile = this.settings.get(SWITCH_FILE_SETTING) || undefined;
    const switchedOff = this.switchFile ? readSwitchedOff(this.switchFile) : new Set<string>();
    for (const registration of registry.all()) {
      const metrics = new FunctionMetrics(registration.triggerType.toLowerCase() === 'eventhubtrigger');
      const disabled = this.settings.isDisabled(registration.name);
      const factory = drivers.get(registration.triggerType);
      const hosted: HostedFunction = { registration, metrics, disabled };
      this.functions.set(registration.name.toLowerCase(), hosted);
      if (!factory) {
        // Kept (e.g. Durable triggers) so a driver can be plugged in later; logged once.
        this.logger.log({ level: 'warning', source: HOST_STARTUP, functionName: registration.name, message: 'trigger type not supported by the local host; function captured but not run', fields: { triggerType: registration.triggerType } });
        continue;
      }
      const executor = new FunctionExecutor({ registry, registration, settings: this.settings, logger: this.logger, metrics, inputResolvers, outputWriters, hostJson: this.hostJson });
      hosted.driver = factory({ registration, settings: this.settings, hostJson: this.hostJson, logger: this.logger.child({ source: triggerCategory(registration.triggerType) }), metrics, executor, http: router, httpProxy: registry.httpProxy, hostId });
      if (disabled) {
        this.logger.log({ level: 'information', source: HOST_STARTUP, functionName: registration.name, message: 'function disabled by app setting' });
        continue;
      }
      if (switchedOff.has(registration.name.toLowerCase())) {
        hosted.deferred = true;
        this.logger.log({ level: 'information', source: HOST_STARTUP, functionName: registration.name, message: 'trigger paused at start: the switch file records it paused' });
        continue;
      }
      await hosted.driver.start();
    }
    await this.durable?.start();
    if (this.switchFile) {
      this.switchPoll = setInterval(() => void this.followSwitchFile(), SWITCH_POLL_MS);
      this.switchPoll.unref();
    }
    this.hostState = 'Running';
    this.logger.log({ level: 'information', source: HOST_STARTUP, message: 'host started', fields: { baseUrl: this.baseUrl, functions: registry.all().length } });
  }

  /** Graceful: each trigger finishes in-flight work (Event Hubs batches checkpoint), then appTerminate hooks. */
  async stop(): Promise<void> {
    if (this.hostState === 'Stopped' || this.hostState === 'Stopping') return;
    this.hostState = 'Stopping';
    if (this.switchPoll) clearInterval(this.switchPoll);
    await this.switchOps.catch(() => undefined);
    const results = await Promise.allSettled([...this.functions.values()].map((f) => (f.deferred ? undefined : f.driver?.stop())));
    for (const result of results) {
      if (result.status === 'rejected') this.logger.log({ level: 'error', message: 'trigger stop failed', fields: { error: toError(result.reason).message } });
    }
    await this.durable?.stop().catch((e: unknown) => this.logger.log({ level: 'error', message: 'durable task hub stop failed', fields: { error: toError(e).message } }));
    if (this.registry) {
      await runHooks(this.registry.hooksFor('appTerminate'), { hookData: appLevelOnlyHookDataOf(this.registry), appHookData: appHookDataOf(this.registry) }).catch((e: unknown) =>
        this.logger.log({ level: 'error', message: 'appTerminate hook failed', fields: { error: toError(e).message } }),
      );
    }
    await this.bindingClients?.close();
    await this.server?.close();
    this.hostState = 'Stopped';
    this.logger.log({ level: 'information', message: 'host stopped' });
  }

  listFunctions(): FunctionInfo[] {
    return [...this.functions.values()].map((f) => this.info(f));
  }

  async pause(functionName: string): Promise<FunctionInfo> {
    const hosted = this.find(functionName);
    // Recorded first: a host following the file never sees this one paused without the record.
    if (this.switchFile) recordSwitch(this.switchFile, hosted.registration.name, true);
    await this.switched(hosted, true);
    return this.info(hosted);
  }

  async resume(functionName: string): Promise<FunctionInfo> {
    const hosted = this.find(functionName);
    if (this.switchFile) recordSwitch(this.switchFile, hosted.registration.name, false);
    await this.switched(hosted, false);
    return this.info(hosted);
  }

  /** Pauses or resumes one trigger, after any switch operation already under way. */
  private switched(hosted: HostedFunction, paused: boolean): Promise<void> {
    const op = this.switchOps.then(async () => {
      if (paused) {
        if (!hosted.deferred) await hosted.driver?.pause();
        this.logger.log({ level: 'information', functionName: hosted.registration.name, message: 'trigger paused' });
      } else {
        if (hosted.deferred) {
          hosted.deferred = false;
          await hosted.driver?.start();
        } else await hosted.driver?.resume();
        this.logger.log({ level: 'information', functionName: hosted.registration.name, message: 'trigger resumed' });
      }
    });
    this.switchOps = op.catch(() => undefined);
    return op;
  }

  /** Applies pauses and resumes another host recorded in the switch file. */
  private async followSwitchFile(): Promise<void> {
    if (!this.switchFile || this.hostState !== 'Running') return;
    const off = readSwitchedOff(this.switchFile);
    for (const hosted of this.functions.values()) {
      if (!hosted.driver || hosted.disabled) continue;
      const want = off.has(hosted.registration.name.toLowerCase());
      const isOff = hosted.deferred === true || hosted.driver.state === 'paused';
      if (want === isOff) continue;
      await this.switched(hosted, want).catch((e: unknown) =>
        this.logger.log({ level: 'error', functionName: hosted.registration.name, message: 'switch file: pause/resume failed', fields: { error: toError(e).message } }),
      );
    }
  }

  status(): HostStatus {
    return {
      state: this.hostState,
      version: LOCAL_HOST_VERSION,
      baseUrl: this.baseUrl,
      startedAt: this.startedAt.toISOString(),
      uptimeMs: Date.now() - this.startedAt.getTime(),
      functionCount: this.functions.size,
      memory: hostMemory(),
    };
  }

  resetMetrics(): void {
    for (const f of this.functions.values()) f.metrics.reset();
  }

  metrics(): Record<string, FunctionMetricsSnapshot> {
    return Object.fromEntries([...this.functions.values()].map((f) => [f.registration.name, f.metrics.snapshot()]));
  }

  private find(functionName: string): HostedFunction {
    const hosted = this.functions.get(functionName.toLowerCase());
    if (!hosted) throw new LocalHostError('FUNCTION_NOT_FOUND', `no function named "${functionName}"`, 'admin');
    return hosted;
  }

  private info(f: HostedFunction): FunctionInfo {
    const driverState = f.deferred ? 'paused' : (f.driver?.state ?? 'stopped');
    const state = !f.driver ? 'unsupported' : f.disabled ? 'disabled' : driverState;
    const route = (f.registration.trigger as { route?: string }).route;
    return {
      name: f.registration.name,
      triggerType: f.registration.triggerType,
      state,
      paused: driverState === 'paused',
      disabled: f.disabled,
      ...(f.registration.triggerType.toLowerCase() === 'httptrigger' ? { route: route ?? f.registration.name } : {}),
    };
  }
}
