/**
 * The matrix at CI size: the same scenarios as `npm run test:faults`, fewer events, shorter outages.
 * The scenarios are split over a few spec files, each with its own stack, so jest runs them side
 * by side (most of a scenario's time is waiting out its fault, not CPU); together the files cover
 * every scenario (fault-matrix.spec.ts checks that).
 */
import { execFile } from 'node:child_process';
import { appendFile, copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AuditReport } from './audit';
import { MatrixStack } from './matrix-stack';
import { runFaultScenario, type MatrixOptions, type ScenarioResult } from './run-matrix';
import { SCENARIOS } from './scenarios';

/**
 * The CI-size groups, one spec file and one stack each, run side by side (the project's jest runs
 * one worker per group): fault-matrix.spec.ts (core, and the check that the groups cover every
 * scenario), fault-matrix-processes.spec.ts, fault-matrix-network.spec.ts, fault-matrix-breaker.spec.ts.
 */
export const CI_GROUPS = {
  core: ['hostile-inputs', 'out-of-order', 'cosmos-down', 'throttle-storm', 'dead-letter-queue-down', 'soak'],
  processes: ['host-sigkill', 'emulator-restart', 'emulator-sigkill', 'rebalance'],
  network: ['cosmos-blackhole', 'storage-blackhole', 'checkpoint-store-down', 'clock-skew'],
  breaker: ['breaker-trip', 'switch-failure'],
} as const;

/**
 * Registered scenarios left out of the CI-size matrix, with the reason; `npm run test:faults`
 * runs them. None today: the soak is back in the core group (2 minutes of load, about 2 minutes
 * more for its group). The 7 minutes it once took in a CI run were most likely a dead letter an
 * earlier scenario left hidden for its 10-minute lease, which its drain waited out (fixed in the
 * local host's queue trigger, 222a8d6; not proven by a rerun of that CI).
 */
export const NOT_AT_CI_SIZE: Readonly<Record<string, string>> = {};

const SIZE = 2_000;
// Bounds are generous (CI shares a loaded 2-core machine); a passing run takes a fraction of them.
// The soak at CI size: 2 minutes at 100 events/s; its RSS slope and p99 are reported, not asserted.
const options: Omit<MatrixOptions, 'scenarios'> = {
  // The drain bound outlasts the queue trigger's 10-minute lease: a dead letter whose delete failed
  // through an outage of its account (after the host's retries) is hidden until its lease ends and
  // then processed again, in Azure as in the local host; a 300 s bound failed CI on it.
  size: SIZE, outageMs: 6_000, loadSeconds: 8, dataDir: '', drainTimeoutMs: 660_000, log: (m) => console.info(`${elapsed()} ${m}`),
  soak: { seconds: 120, eventsPerSecond: 100, assertTrends: false },
};
const STACK_TIMEOUT = 300_000;
// Seconds since this spec file loaded, before each line: where a group's time goes, in the CI log.
const loaded = Date.now();
const elapsed = (): string => `${((Date.now() - loaded) / 1000).toFixed(0).padStart(4)} s`;
const SCENARIO_TIMEOUT = 900_000;

function expectAccounted(result: ScenarioResult): void {
  // Everything sent is accounted for, every device equals the model, and the scenario's own expectations hold.
  expect({ id: result.id, lost: result.lost, lostEvents: result.audit.lostEvents.slice(0, 5), devicesMismatched: result.audit.devicesMismatched.slice(0, 5), failures: result.failures })
    .toEqual({ id: result.id, lost: 0, lostEvents: [], devicesMismatched: [], failures: [] });
  expect(result.applied + result.superseded + result.deadLettered + result.parked).toBe(result.sent);
  expect(result.sent).toBeGreaterThanOrEqual(SIZE);
}

/** Runs these scenarios (ids, in this order) on one stack at CI size, as one describe block. */
export function describeMatrixAtCiSize(title: string, ids: readonly string[], { breaker = false, withAuditCheck = false }: { breaker?: boolean; withAuditCheck?: boolean } = {}): void {
  describe(`fault matrix at CI size (${title})`, () => {

    let matrix: MatrixStack | undefined;
    let dataDir: string;
    const known = SCENARIOS.filter((s) => ids.includes(s.id));
    if (known.length !== ids.length) throw new Error(`unknown scenario in ${ids.join(', ')}`);
    // For measuring what scenarios cost a CI run (a run without them as the baseline): named ids
    // are left out of this run, loudly. Never set in .ci/run.
    const leftOut = (process.env['FAULT_MATRIX_CI_LEAVE_OUT'] ?? '').split(',').map((id) => id.trim()).filter(Boolean);
    const scenarios = known.filter((s) => !leftOut.includes(s.id));
    if (scenarios.length < known.length) console.warn(`FAULT_MATRIX_CI_LEAVE_OUT: ${known.filter((s) => leftOut.includes(s.id)).map((s) => s.id).join(', ')} left out of this run`);
    if (known.some((s) => Boolean(s.breaker) !== breaker)) throw new Error('a group runs on one kind of stack');
    if (!scenarios.length) {
      it('is left out of this run whole (FAULT_MATRIX_CI_LEAVE_OUT), with no stack started', () => expect(leftOut.length).toBeGreaterThan(0));
      return;
    }

    beforeAll(async () => {
      dataDir = await mkdtemp(path.join(tmpdir(), 'fault-matrix-'));
      options.dataDir = dataDir;
      // Each stack bundles its apps: jest may run the two groups in different worker processes,
      // and a clean clone has no dist/ to fall back on.
      console.info(`${elapsed()} starting the stack`);
      // Accounts no scenario of the group restarts run in memory (no autosave of the whole store every 5 s).
      const restarts = [...new Set(scenarios.flatMap((s) => s.restarts ?? []))];
      matrix = await MatrixStack.start({ dataDir: path.join(dataDir, 'stack'), withBreaker: breaker, build: true, restarts });
      console.info(`${elapsed()} stack up`);
    }, STACK_TIMEOUT);

    afterAll(async () => {
      await matrix?.stop();
      console.info(`${elapsed()} stack stopped`);
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    }, 300_000);

    it.each(scenarios.map((s) => [s.id, s] as const))('%s: nothing lost, state never corrupted', async (_id, scenario) => {
      const result = await runFaultScenario(matrix!, scenario, options, SCENARIOS.indexOf(scenario));
      console.info(`${elapsed()} [${scenario.id}] audited`);
      expectAccounted(result);
    }, SCENARIO_TIMEOUT);

    if (withAuditCheck) {
      it('npm run audit accounts for the last scenario from its record file, and lists an event that was never stored', async () => {
        const last = scenarios[scenarios.length - 1]!;
        const record = path.join(dataDir, 'records', `${last.id}.ndjson`);
        const stackFile = path.join(dataDir, 'stack.json');
        await writeFile(stackFile, JSON.stringify(matrix!.descriptor));
        const audit = (file: string) => new Promise<{ code: number; report: AuditReport }>((resolve, reject) => {
          execFile(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, path.join(__dirname, 'audit-cli.ts'), '--record', file, '--stack', stackFile, '--dead-letter-storage', matrix!.deadLetterStorage, '--json'],
            { maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
              try {
                resolve({ code: error ? Number(error.code ?? 1) : 0, report: JSON.parse(stdout) as AuditReport });
              } catch (parseError) {
                reject(parseError instanceof Error ? parseError : new Error(String(parseError)));
              }
            });
        });
        const good = await audit(record);
        expect(good.code).toBe(0);
        expect(good.report).toMatchObject({ lost: 0, devicesMismatched: [], ok: true });
        expect(good.report.sent).toBeGreaterThanOrEqual(SIZE);

        const tampered = path.join(dataDir, 'tampered.ndjson');
        await copyFile(record, tampered);
        const ghost = { index: 999_999, deviceId: 'ghost-001', kind: 'valid', sha256: 'f'.repeat(64), bytes: 80, sentAt: Date.now(), telemetry: { deviceId: 'ghost-001', timestamp: new Date().toISOString(), battery: 0.5 } };
        await appendFile(tampered, JSON.stringify(ghost) + '\n');
        const bad = await audit(tampered);
        expect(bad.code).toBe(1);
        expect(bad.report.lost).toBe(1);
        expect(bad.report.lostEvents).toEqual([expect.objectContaining({ index: 999_999, deviceId: 'ghost-001', kind: 'valid' })]);
      }, 300_000);
    }

  });
}
