import type { FaultScenario } from './fault-scenario';
import { matrixApps } from './matrix-stack';
import { planStacks } from './run-matrix';
import { SCENARIOS } from './scenarios';

const scenario = (id: string, breaker = false): FaultScenario => ({ id, title: id, breaker, run: () => Promise.resolve({ sent: [] }) });

/** The apps bundled by a plan's stacks up to and including stack i. */
const bundledBy = (plans: ReturnType<typeof planStacks>, i: number): Set<string> =>
  new Set(plans.slice(0, i + 1).filter((p) => p.build).flatMap((p) => matrixApps(p.withBreaker)));

describe('planStacks (which stacks a matrix run starts, and which bundle their apps)', () => {
  it('every stack of a full run runs only apps bundled by it or an earlier stack: the breaker stack bundles the circuit breaker', () => {
    const plans = planStacks(SCENARIOS);
    expect(plans.map((p) => p.withBreaker)).toEqual([false, true]);
    plans.forEach((p, i) => {
      const bundled = bundledBy(plans, i);
      expect(matrixApps(p.withBreaker).filter((a) => !bundled.has(a))).toEqual([]);
    });
    expect(plans[1]!.build).toBe(true);
    expect(plans.flatMap((p) => p.scenarios.map((s) => s.id)).sort()).toEqual(SCENARIOS.map((s) => s.id).sort());
  });

  it('a breaker-only run bundles on its one stack; build false bundles nothing', () => {
    expect(planStacks([scenario('b', true)]).map((p) => [p.scenarios.map((s) => s.id), p.withBreaker, p.build])).toEqual([[['b'], true, true]]);
    expect(planStacks([scenario('a')]).map((p) => p.build)).toEqual([true]);
    expect(planStacks([scenario('a'), scenario('b', true)], false).map((p) => p.build)).toEqual([false, false]);
  });
});
