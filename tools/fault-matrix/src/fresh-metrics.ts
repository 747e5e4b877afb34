import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { waitUntil } from '@telemetry/local-services';
import { metricsDir, readMetricsSnapshotFile } from '@telemetry/local-stack';

/** A process that still runs (signal 0 only checks). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Waits until every app process still running has rewritten its metrics snapshot file after
 * `since` (epoch ms). Apps rewrite it every 2 s, later on a loaded machine; the file of a stopped
 * or killed host stays as it last was.
 */
export async function waitForFreshMetrics(dataDir: string, since: number, timeoutMs = 60_000): Promise<void> {
  const dir = metricsDir(dataDir);
  await waitUntil(
    async () => {
      const files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
      const snapshots = await Promise.all(files.map((f) => readMetricsSnapshotFile(path.join(dir, f))));
      return snapshots.every((s) => !s || !isRunning(s.pid) || Date.parse(s.at) > since);
    },
    { timeoutMs, intervalMs: 250, description: 'every running app to rewrite its metrics snapshot' },
  );
}
