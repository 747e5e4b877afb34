import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.join(__dirname, '..', '..', '..');
const TSX = pathToFileURL(require.resolve('tsx')).href;
const CLI = path.join(__dirname, 'cli.ts');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Spawns the CLI as `npm run plan` does (tsx), from the workspace root. */
function planCli(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', TSX, CLI, ...args], { cwd: ROOT, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm run plan (spawned)', () => {
  let dir: string;
  let bench: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'planner-'));
    bench = path.join(dir, 'benchmarks.json');
    // The figures plan.spec.ts uses for its hand calculations, as a bench run would write them.
    await writeFile(bench, JSON.stringify({
      date: '2026-12-01T00:00:00.000Z',
      results: { endToEnd: { eventsPerSecond: 5000 }, referenceProfile: { storeWritesPerEvent: 1, storeReadsPerEvent: 0, latencyP50Ms: 50 }, backlog: { storeWritesPerEvent: 0.1 } },
    }));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('--json gives the hand-checked plan', async () => {
    const run = await planCli(['--events-per-second', '100', '--devices', '100', '--event-bytes', '1000', '--dead-letter-fraction', '0', '--failure-window-minutes', '0', '--bench', bench, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const p = JSON.parse(run.stdout) as { eventHubs: { throughputUnits: number; partitions: number }; functions: { instances: number }; cosmos: { ruPerSecond: number; provisionedRuPerSecond: number }; monthlyUsd: { totalServerless: number; totalProvisioned: number } };
    // Same figures as the first case of plan.spec.ts (hand calculation there).
    expect(p.eventHubs).toMatchObject({ throughputUnits: 1, partitions: 4 });
    expect(p.functions.instances).toBe(1);
    expect(p.cosmos).toMatchObject({ ruPerSecond: 500, provisionedRuPerSecond: 700 });
    expect(p.monthlyUsd).toMatchObject({ totalServerless: 683.55, totalProvisioned: 395.93 }); // as plan.spec.ts works it out
  });

  it('--max-held-mb is the window\'s memory bound: below what the window holds, the plan says so', async () => {
    // 1,000 events/s x 60 s x 812 B = 48,720,000 B = 46.46 MiB on the one instance: held under 64 MB, not under 32.
    const args = ['--events-per-second', '1000', '--devices', '1000', '--event-bytes', '300', '--window', '60', '--bench', bench, '--json'];
    const held = JSON.parse((await planCli(args)).stdout) as { window: { effectiveSeconds: number; heldMbPerInstance: number }; warnings: string[] };
    expect(held.window).toMatchObject({ effectiveSeconds: 60, heldMbPerInstance: 46.46 });
    const run = await planCli([...args, '--max-held-mb', '32']);
    expect(run.code).toBe(0);
    // 32 x 1,048,576 / (1,000 x 812) = 33,554,432 / 812,000 = 41.3232 s.
    const cut = JSON.parse(run.stdout) as typeof held;
    expect(cut.window.effectiveSeconds).toBe(41.323);
    expect(cut.warnings.join('\n')).toMatch(/the 60 s window holds only 41\.32 s: .* set INGESTION_WINDOW_MAX_HELD_MB to 47 \(limit 256\)/);
  });

  it('prints a readable plan with the region, currency and sources', async () => {
    const run = await planCli(['--events-per-second', '1000', '--devices', '1000', '--event-bytes', '300', '--window', '5', '--bench', bench]);
    expect(run.code).toBe(0);
    // 1,000 devices, one event/s each, window 5 s (plan.spec.ts works it out): the partitions it had without a window,
    // ceil(1 x (5 - 0.05)) = 5 events a write -> 200 writes/s, 0.2 per event; 1,000 x 5 x 812 B = 3.87 MiB held;
    // one watermark per partition per second.
    expect(run.stdout).toMatch(/partitions\s+4 /);
    expect(run.stdout).toMatch(/window\s+5 s\s+\(INGESTION_WINDOW_SECONDS/);
    expect(run.stdout).toMatch(/window writes\s+0\.2 per event\s+\(periodic devices: ceil\(1 event\/s x \(5 - 0\.05 s delivery\)\) = 5 events a write\)/);
    expect(run.stdout).toMatch(/latency\s+adds up to 5 s\s+\(to a device's first event; p99 enqueue -> stored ~ 5\.05 s/);
    expect(run.stdout).toMatch(/held in memory\s+3\.87 MB per instance\s+\(1,000 events\/s x 5 s x \(300 \+ 512\) B; bound INGESTION_WINDOW_MAX_HELD_MB 64\)/);
    expect(run.stdout).toMatch(/writes\s+200 \/s \(0\.2 per event\)/);
    expect(run.stdout).toMatch(/watermarks\s+4 blob writes\/s/);
    expect(run.stdout).toMatch(/East US, USD/);
    expect(run.stdout).toMatch(/learn\.microsoft\.com\/azure\/cosmos-db\/request-units/);
  });

  it.each([
    [['--devices', '10', '--event-bytes', '100'], /required option '--events-per-second <n>' not specified/],
    [['--events-per-second', 'lots', '--devices', '10', '--event-bytes', '100'], /--events-per-second must be a number, got "lots"/],
    [['--events-per-second', '-5', '--devices', '10', '--event-bytes', '100'], /--events-per-second must not be negative, got -5/],
    [['--events-per-second', '0', '--devices', '10', '--event-bytes', '100'], /--events-per-second must be greater than 0, got 0/],
    [['--events-per-second', '10', '--devices', '2.5', '--event-bytes', '100'], /--devices must be a whole number, got 2\.5/],
    [['--events-per-second', '10', '--devices', '10', '--event-bytes', ''], /--event-bytes must be a number/],
    [['--events-per-second', '10', '--devices', '10', '--event-bytes', '100', '--window', 'soon'], /--window must be a number, got "soon"/],
    [['--events-per-second', '10', '--devices', '10', '--event-bytes', '100', '--window', '-1'], /--window must not be negative/],
    [['--events-per-second', '10', '--devices', '10', '--event-bytes', '100', '--window', '61'], /--window must be at most 60, got 61/],
    [['--events-per-second', '10', '--devices', '10', '--event-bytes', '100', '--max-held-mb', '0'], /--max-held-mb must be greater than 0, got 0/],
    [['--events-per-second', '10', '--devices', '10', '--event-bytes', '100', '--max-held-mb', '300'], /--max-held-mb must be at most 256, got 300/],
    [['--events-per-second', '10', '--devices', '10', '--event-bytes', '100', '--max-held-mb', '1.5'], /--max-held-mb must be a whole number, got 1\.5/],
    [['--events-per-second', '10', '--devices', '10', '--event-bytes', '100', '--arrivals', 'bursty'], /argument 'bursty' is invalid.*periodic, random/],
    [['--events-per-second', '10', '--devices', '10', '--event-bytes', '100', '--wndow', '1'], /unknown option '--wndow'/],
  ])('rejects %j with a clear error and exit code 1', async (args, message) => {
    const run = await planCli([...args, '--bench', bench]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('names a bench file it cannot use', async () => {
    const broken = path.join(dir, 'broken.json');
    await writeFile(broken, JSON.stringify({ results: { endToEnd: {} } }));
    const run = await planCli(['--events-per-second', '10', '--devices', '10', '--event-bytes', '100', '--bench', broken]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/results\.endToEnd\.eventsPerSecond is missing or not a number/);
  });
});
