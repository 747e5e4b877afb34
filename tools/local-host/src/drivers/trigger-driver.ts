import type { AppSettings } from '../config/app-settings';
import type { HostJson } from '../config/host-json';
import type { Registration } from '../core/registration';
import type { FunctionMetrics } from '../admin/function-metrics';
import type { Logger } from '../logging/logger';
import type { FunctionExecutor } from '../invocation/function-executor';
import type { HttpRouter } from './http/http-router';
import type { WorkerHttpProxy } from './http/worker-http-proxy';

export type DriverState = 'stopped' | 'running' | 'paused';

/**
 * Drives one function's trigger. The extension point for new trigger kinds (e.g. a Durable
 * driver for orchestrationTrigger/entityTrigger/activityTrigger): implement this and register a
 * factory for the trigger type in `TriggerDriverRegistry`.
 */
export interface TriggerDriver {
  readonly functionName: string;
  readonly triggerType: string;
  readonly state: DriverState;
  start(): Promise<void>;
  /** Graceful: finish in-flight work (and checkpoint) before resolving. */
  stop(): Promise<void>;
  /** Stop taking new work once in-flight work is done; state is kept so resume continues. */
  pause(): Promise<void>;
  resume(): Promise<void>;
}

/** What the host hands every driver. */
export interface DriverContext {
  registration: Registration;
  settings: AppSettings;
  hostJson: Readonly<HostJson>;
  logger: Logger;
  metrics: FunctionMetrics;
  executor: FunctionExecutor;
  http: HttpRouter;
  /** The worker's HTTP proxy when the app enabled HTTP streaming (app.setup({ enableHttpStream: true })). */
  httpProxy?: WorkerHttpProxy;
  /** The host id state is kept under (timer schedule status), see `hostIdOf`. */
  hostId?: string;
}

export type TriggerDriverFactory = (context: DriverContext) => TriggerDriver;
