import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FaultScenario } from './fault-scenario';
import { matrixApps, persistsOnDisk } from './matrix-stack';
import { planStacks } from './run-matrix';
import { SCENARIOS } from './scenarios';

const scenario = (id: string, breaker = false, more: Partial<FaultScenario> = {}): FaultScenario => ({ id, title: id, breaker, run: () => Promise.resolve({ sent: [] }), ...more });

/** The apps bundled by a plan's stacks up to and including stack i. */
const bundledBy = (plans: ReturnType<typeof planStacks>, i: number): Set<string> =>
  new Set(plans.slice(0, i + 1).filter((p) => p.build).flatMap((p) => matrixApps(p.withBreaker)));

describe('planStacks (which stacks a matrix run starts, and which bundle their apps)', () => {
  it('every stack of a full run runs only apps bundled by it or an earlier stack: the breaker stack bundles the circuit breaker', () => {
    const plans = planStacks(SCENARIOS);
    expect(plans.map((p) => [p.name, p.withBreaker])).toEqual([['stack', false], ['stack-soak', false], ['stack-breaker', true]]);
    plans.forEach((p, i) => {
      const bundled = bundledBy(plans, i);
      expect(matrixApps(p.withBreaker).filter((a) => !bundled.has(a))).toEqual([]);
    });
    expect(plans.map((p) => p.build)).toEqual([true, false, true]);
    expect(plans.flatMap((p) => p.scenarios.map((s) => s.id)).sort()).toEqual(SCENARIOS.map((s) => s.id).sort());
  });

  it('a breaker-only run bundles on its one stack; build false bundles nothing', () => {
    expect(planStacks([scenario('b', true)]).map((p) => [p.scenarios.map((s) => s.id), p.withBreaker, p.build])).toEqual([[['b'], true, true]]);
    expect(planStacks([scenario('a')]).map((p) => p.build)).toEqual([true]);
    expect(planStacks([scenario('a'), scenario('b', true)], false).map((p) => p.build)).toEqual([false, false]);
  });

  it('the soak runs alone on a fresh stack; only accounts a scenario of the stack restarts stay on disk', () => {
    const plans = planStacks(SCENARIOS);
    expect(plans.find((p) => p.name === 'stack-soak')!.scenarios.map((s) => s.id)).toEqual(['soak']);
    // dead-letter-queue-down stops the dead-letter account and expects its data back; nothing else restarts one.
    expect(plans.map((p) => [p.name, p.restarts])).toEqual([['stack', ['dead-letters']], ['stack-soak', []], ['stack-breaker', []]]);
    const restarting = planStacks([scenario('a'), scenario('b', false, { restarts: ['ingestion-host'] }), scenario('c', false, { ownStack: true }), scenario('d', true, { restarts: ['dead-letters', 'ingestion-host'] })]);
    expect(restarting.map((p) => [p.name, p.scenarios.map((s) => s.id), p.restarts])).toEqual([
      ['stack', ['a', 'b'], ['ingestion-host']], ['stack-c', ['c'], []], ['stack-breaker', ['d'], ['dead-letters', 'ingestion-host']],
    ]);
  });

  it('an account on disk only when a scenario restarts it; a stack started without the list keeps all on disk', () => {
    expect(persistsOnDisk('dead-letters', ['dead-letters'])).toBe(true);
    expect(persistsOnDisk('ingestion-host', ['dead-letters'])).toBe(false);
    expect(persistsOnDisk('dead-letters', [])).toBe(false);
    expect(persistsOnDisk('dead-letters', undefined)).toBe(true);
  });

  it('every scenario that stops the dead-letter account declares that it restarts it (else it would run in memory and come back empty)', async () => {
    const dir = path.join(__dirname, 'scenarios');
    for (const file of (await readdir(dir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))) {
      const source = await readFile(path.join(dir, file), 'utf8');
      if (source.includes('stopDeadLetterStorage')) expect({ file, declares: /restarts: \[[^\]]*'dead-letters'/.test(source) }).toEqual({ file, declares: true });
    }
  });
});

