import type { HostExtension } from '@telemetry/function-app-kit';
import { metricsSnapshotWriter } from './metrics-snapshot-writer';

/** Host process env (not an app setting): where this instance's metrics snapshot goes. */
export const METRICS_FILE_ENV = 'LOCAL_STACK_METRICS_FILE';

// The function-app kit's process-wide list of host extensions (libs/function-app-kit
// HOST_EXTENSIONS). Named here rather than imported: the bundled plugin must not pull in the kit's
// @azure/functions hooks ahead of the app (metrics-snapshot.spec.ts checks the two agree).
const HOST_EXTENSIONS = Symbol.for('@telemetry/function-app-kit/host-extensions');

/** Adds the extension to the kit's list in this process. */
export function addHostExtension(extension: HostExtension): void {
  const g = globalThis as Record<symbol, unknown>;
  g[HOST_EXTENSIONS] = [...(Array.isArray(g[HOST_EXTENSIONS]) ? (g[HOST_EXTENSIONS] as HostExtension[]) : []), extension];
}

/**
 * A local-host plugin (`--plugin`), loaded into the host process before the app: registers the
 * metrics snapshot writer for the app instance the kit builds at host start. Bundled to plain
 * JavaScript by bundleMetricsPlugin(), so the host runs on plain node as for any built app.
 */
export const register = (): void => {
  const file = process.env[METRICS_FILE_ENV];
  if (!file) return;
  addHostExtension(metricsSnapshotWriter(file, 2_000, (error) => console.warn(JSON.stringify({ level: 'warn', message: 'metrics snapshot file not written', error: error.message }))));
};
