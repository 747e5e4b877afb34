import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildApps, builtAppDir } from '@telemetry/local-stack';

/** The function apps that deploy as a package (the dashboard is a static site). */
export const FUNCTION_APPS = ['ingestion', 'circuit-breaker', 'dead-letter-reprocessor', 'device-status'] as const;

export interface PackageMeasure {
  app: string;
  /** Bytes in dist/apps/<app>, unzipped, source maps excluded (they are never deployed). */
  bytes: number;
  /** Median over `runs` fresh processes: requiring main.js until its registrations are done. */
  loadMsMedian: number;
  loadMsRuns: number[];
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await folderBytes(p);
    else if (!entry.name.endsWith('.map')) total += (await stat(p)).size;
  }
  return total;
}

// Runs in a fresh Node process: the time to load the bundle as the Functions worker does (require
// main.js, which registers the functions and hooks) before the first event can be handled.
const LOAD_PROBE = `const t = process.hrtime.bigint(); require(process.argv[1]); process.stdout.write('\\n' + String(Number(process.hrtime.bigint() - t) / 1e6) + '\\n');`;

async function loadMs(mainJs: string): Promise<number> {
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', LOAD_PROBE, mainJs], { timeout: 60_000 });
  return Number(stdout.trim().split('\n').at(-1));
}

/** Builds each function app as it deploys (tools/build/bundle-app.mjs) and measures its package. */
export async function benchPackages(options: { runs: number }): Promise<PackageMeasure[]> {
  await buildApps([...FUNCTION_APPS]);
  const out: PackageMeasure[] = [];
  for (const app of FUNCTION_APPS) {
    const dir = builtAppDir(app);
    const runs: number[] = [];
    for (let i = 0; i < options.runs; i += 1) runs.push(Math.round((await loadMs(path.join(dir, 'main.js'))) * 10) / 10);
    const sorted = [...runs].sort((a, b) => a - b);
    out.push({ app, bytes: await folderBytes(dir), loadMsMedian: sorted[Math.floor(sorted.length / 2)]!, loadMsRuns: runs });
  }
  return out;
}
