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
  /** Median over `runs` fresh processes: requiring main.js until its registrations are done (wall clock). */
  loadMsMedian: number;
  loadMsRuns: number[];
  /**
   * The same loads in CPU time (process.cpuUsage, user + system, all of the process's threads):
   * compiling and evaluating the bundle. Unlike wall time it barely moves with the machine's load.
   */
  loadCpuMsMedian: number;
  loadCpuMsRuns: number[];
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
// It measures the require alone: the appStart hook (settings parsed, SDK clients built) and the first
// invocation come after it in Azure and are not in these figures.
const LOAD_PROBE = `const c = process.cpuUsage(); const t = process.hrtime.bigint(); require(process.argv[1]); const u = process.cpuUsage(c); process.stdout.write('\\n' + JSON.stringify({ wall: Number(process.hrtime.bigint() - t) / 1e6, cpu: (u.user + u.system) / 1e3 }) + '\\n');`;

async function load(mainJs: string): Promise<{ wall: number; cpu: number }> {
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', LOAD_PROBE, mainJs], { timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { wall: number; cpu: number };
}

const round1 = (ms: number): number => Math.round(ms * 10) / 10;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Builds each function app as it deploys (tools/build/bundle-app.mjs) and measures its package. */
export async function benchPackages(options: { runs: number }): Promise<PackageMeasure[]> {
  await buildApps([...FUNCTION_APPS]);
  const out: PackageMeasure[] = [];
  for (const app of FUNCTION_APPS) {
    const dir = builtAppDir(app);
    const runs: number[] = [];
    const cpuRuns: number[] = [];
    for (let i = 0; i < options.runs; i += 1) {
      const { wall, cpu } = await load(path.join(dir, 'main.js'));
      runs.push(round1(wall));
      cpuRuns.push(round1(cpu));
    }
    out.push({ app, bytes: await folderBytes(dir), loadMsMedian: median(runs), loadMsRuns: runs, loadCpuMsMedian: median(cpuRuns), loadCpuMsRuns: cpuRuns });
  }
  return out;
}
