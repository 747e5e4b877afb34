import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MatrixStack } from './matrix-stack';
import { runFaultScenario, type MatrixOptions, type ScenarioResult } from './run-matrix';
import { SCENARIOS } from './scenarios';

// The matrix at CI size: the same scenarios as `npm run test:faults`, fewer events, shorter outages.
const SIZE = 2_000;
const options: Omit<MatrixOptions, 'scenarios'> = { size: SIZE, outageMs: 6_000, loadSeconds: 8, dataDir: '', drainTimeoutMs: 180_000, log: (m) => console.info(m) };
const STACK_TIMEOUT = 240_000;
const SCENARIO_TIMEOUT = 240_000;

function expectAccounted(result: ScenarioResult): void {
  // Everything sent is accounted for, every device equals the model, and the scenario's own expectations hold.
  expect({ id: result.id, lost: result.lost, lostEvents: result.audit.lostEvents.slice(0, 5), devicesMismatched: result.audit.devicesMismatched.slice(0, 5), failures: result.failures })
    .toEqual({ id: result.id, lost: 0, lostEvents: [], devicesMismatched: [], failures: [] });
  expect(result.applied + result.superseded + result.deadLettered + result.parked).toBe(result.sent);
  expect(result.sent).toBeGreaterThanOrEqual(SIZE);
}

describe.each([
  { group: 'shared stack', breaker: false },
  { group: 'stack with the circuit breaker', breaker: true },
])('fault matrix at CI size ($group)', ({ breaker }) => {
  let matrix: MatrixStack | undefined;
  let dataDir: string;
  const scenarios = SCENARIOS.filter((s) => Boolean(s.breaker) === breaker);

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'fault-matrix-'));
    options.dataDir = dataDir;
    // Bundle the apps once, for the first stack.
    matrix = await MatrixStack.start({ dataDir: path.join(dataDir, 'stack'), withBreaker: breaker, build: !breaker });
  }, STACK_TIMEOUT);

  afterAll(async () => {
    await matrix?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 120_000);

  it.each(scenarios.map((s) => [s.id, s] as const))('%s: nothing lost, state never corrupted', async (_id, scenario) => {
    const result = await runFaultScenario(matrix!, scenario, options, SCENARIOS.indexOf(scenario));
    expectAccounted(result);
  }, SCENARIO_TIMEOUT);
});
