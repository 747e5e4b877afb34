import type { HostExtension } from '@telemetry/function-app-kit';
import type { MetricsSnapshot } from '@telemetry/observability';
import { writeMetricsSnapshotFile } from './metrics-snapshot-file';

/** The part of an app's services the writer reads: every app's `telemetry.memory` (libs/observability). */
interface WithMemoryMetrics {
  telemetry?: { memory?: { snapshot(): MetricsSnapshot } };
}

/**
 * A host extension writing an app instance's in-memory metrics to `file` every `intervalMs` and
 * once more when the instance stops: the local stack's run summary merges these files. Local
 * machinery, injected by the local-host plugin; no app setting names it.
 */
export function metricsSnapshotWriter(file: string, intervalMs = 2_000, onError: (error: Error) => void = () => undefined): HostExtension {
  return ({ app, services }) => {
    const memory = (services as WithMemoryMetrics).telemetry?.memory;
    if (!memory) return undefined;
    let warned = false;
    const write = async (): Promise<void> => {
      try {
        await writeMetricsSnapshotFile(file, { app, pid: process.pid, at: new Date().toISOString(), snapshot: memory.snapshot() });
      } catch (error) {
        if (!warned) onError(error as Error);
        warned = true;
      }
    };
    const timer = setInterval(() => void write(), intervalMs);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await write();
    };
  };
}
