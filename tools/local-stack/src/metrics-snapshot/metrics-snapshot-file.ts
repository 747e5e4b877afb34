import { readFile, rename, writeFile } from 'node:fs/promises';
import type { MetricsSnapshot } from '@telemetry/observability';

export interface MetricsSnapshotFile {
  app: string;
  pid: number;
  /** ISO time the snapshot was taken. */
  at: string;
  snapshot: MetricsSnapshot;
}

/** Writes atomically (temp file + rename) so a reader never sees half a file. */
export async function writeMetricsSnapshotFile(path: string, content: MetricsSnapshotFile): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(content));
  await rename(temp, path);
}

/** Reads a snapshot file; undefined when it does not exist yet (the app has not flushed). */
export async function readMetricsSnapshotFile(path: string): Promise<MetricsSnapshotFile | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as MetricsSnapshotFile;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
