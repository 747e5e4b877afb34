import type { Logger } from '@telemetry/core';
import { consoleLogger } from './console-logger';
import { hostExtensions } from './host-extensions';

export type Env = Record<string, string | undefined>;

export interface AppServicesOptions<S> {
  /** The app's name (its Nx project): the `app` field of every log line and the meter name. */
  app: string;
  /**
   * Builds every service of one instance from its settings: parse them (throwing the ConfigError
   * that names every bad key), then construct clients, which pool connections and are reused by
   * every invocation.
   */
  create(env: Env, kit: { app: string; logger: Logger }): S;
  /** Shuts the services down (flush metrics, close clients): the app's terminate hook. */
  stop?(services: S): Promise<void>;
  /** Defaults to process.env. */
  env?: () => Env;
}

/** An app's services: call it for the instance's services (built once); `stop()` shuts them down. */
export interface AppServices<S> {
  (): S;
  readonly app: string;
  /** Builds the services now if they are not yet built: what the host-start hook calls. */
  start(): S;
  stop(): Promise<void>;
}

/** The composition root of a function app, the same shape in every app (registerAppHooks wires it to the host). */
export function defineAppServices<S>(options: AppServicesOptions<S>): AppServices<S> {
  let services: S | undefined;
  let extensionStops: (() => Promise<void>)[] = [];
  const start = (): S => {
    if (services === undefined) {
      const built = options.create((options.env ?? (() => process.env))(), { app: options.app, logger: consoleLogger(options.app) });
      services = built;
      extensionStops = hostExtensions().flatMap((extend) => extend({ app: options.app, services: built }) ?? []);
    }
    return services;
  };
  const get = (() => start()) as AppServices<S>;
  Object.defineProperty(get, 'app', { value: options.app });
  get.start = start;
  get.stop = async () => {
    if (services === undefined) return;
    await options.stop?.(services);
    // After the services' own stop, so an extension sees their final state (e.g. the last metrics).
    await Promise.allSettled(extensionStops.map((stop) => stop()));
  };
  return get;
}
