/**
 * What the hosting environment may add to an app instance without the app's settings naming it:
 * the local stack registers one from a local-host plugin (loaded into the host process before the
 * app) to write each instance's metrics where its run summary reads them. In Azure nothing
 * registers one. An extension gets the built services and may return how to stop it.
 */
export type HostExtension = (instance: { app: string; services: unknown }) => (() => Promise<void>) | void;

/** Process-wide, so that a bundled app and a plugin loaded apart share one list. */
export const HOST_EXTENSIONS = Symbol.for('@telemetry/function-app-kit/host-extensions');

export function hostExtensions(): readonly HostExtension[] {
  const registered = (globalThis as Record<symbol, unknown>)[HOST_EXTENSIONS];
  return Array.isArray(registered) ? (registered as HostExtension[]) : [];
}

/** Adds an extension for the app instances this process builds from now on. */
export function registerHostExtension(extension: HostExtension): void {
  const g = globalThis as Record<symbol, unknown>;
  const list = Array.isArray(g[HOST_EXTENSIONS]) ? (g[HOST_EXTENSIONS] as HostExtension[]) : [];
  g[HOST_EXTENSIONS] = [...list, extension];
}
