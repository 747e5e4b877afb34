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

  it('prints a readable plan with the region, currency and sources', async () => {
    const run = await planCli(['--events-per-second', '1000', '--devices', '1000', '--event-bytes', '300', '--window', '5', '--bench', bench]);
    expect(run.code).toBe(0);
    // 1,000 devices, one event/s each, window 5 s on the 32 partitions it needs -> 200 writes/s, 0.2 per event.
    expect(run.stdout).toMatch(/partitions\s+32 /);
    expect(run.stdout).toMatch(/window\s+holds 5 of 5 s/);
    expect(run.stdout).toMatch(/writes\s+200 \/s \(0\.2 per event\)/);
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
