import type { SpawnedHost } from '@telemetry/local-host';
import { waitUntil } from '@telemetry/local-services';
import type { JournalInvocation } from '../delivery-tracker';
import type { FaultScenario, ScenarioContext } from '../fault-scenario';
import { rateOver, simulateLoad, waitForDeliveries } from './load';

/** Kills tried before the scenario gives up on landing one inside an invocation (each miss costs a host start). */
const MAX_KILLS = 5;
/** Bound on waiting for the victim to begin an invocation (ms): generous, CI shares a loaded machine. */
const IN_FLIGHT_TIMEOUT_MS = 120_000;

const covers = (i: JournalInvocation, seq: number): boolean => i.seq.some(([a, b]) => seq >= a && seq <= b);

/**
 * SIGKILLs the host as soon as its delivery journal shows an invocation begun and not returned,
 * and reports the invocations the kill cut short (none: the invocation returned first, a miss).
 */
async function killInsideInvocation(ctx: ScenarioContext, victim: SpawnedHost): Promise<JournalInvocation[]> {
  await waitUntil(
    async () => {
      await ctx.deliveries.refresh();
      return ctx.deliveries.list(victim.pid).some((i) => !i.ended);
    },
    { timeoutMs: IN_FLIGHT_TIMEOUT_MS, intervalMs: 2, description: `host ${victim.pid} to begin an invocation` },
  );
  await ctx.matrix.killIngestionHost(victim);
  await ctx.deliveries.refresh();
  return ctx.deliveries.list(victim.pid).filter((i) => !i.ended);
}

/**
 * The ingestion host SIGKILLed inside an invocation (no checkpoint, no ownership release): the
 * kill waits until the host's delivery journal shows a batch begun and not returned. A new host
 * takes over after ownership expiry (5 s here) and must deliver that batch again, event by event.
 */
export const hostKilled: FaultScenario = {
  id: 'host-sigkill',
  title: 'ingestion host killed with SIGKILL inside a batch',
  async run(ctx) {
    const sending = simulateLoad(ctx, { count: ctx.size, rate: rateOver(ctx.size, ctx.loadSeconds) });
    await waitForDeliveries(ctx, Math.round(ctx.size * 0.3));
    const cut: { pid: number; invocations: JournalInvocation[] }[] = [];
    let victim = ctx.matrix.ingestion[0]!;
    for (let kill = 1; kill <= MAX_KILLS; kill++) {
      const pid = victim.pid;
      const invocations = await killInsideInvocation(ctx, victim);
      cut.push({ pid, invocations });
      ctx.log(`ingestion host ${pid} killed (SIGKILL) ${invocations.length ? `inside ${invocations.length} invocation(s): ${invocations.map((i) => `partition ${i.partitionId} seq ${JSON.stringify(i.seq)}`).join(', ')}` : 'between invocations (a miss)'}`);
      victim = await ctx.matrix.addIngestionHost();
      if (invocations.length) break;
    }
    const successor = victim;
    const sent = await sending;
    const inFlight = cut.flatMap((c) => c.invocations.map((i) => ({ ...i, pid: c.pid })));
    return {
      sent,
      facts: {
        kills: cut.length,
        inFlightAtKill: inFlight.map((i) => ({ host: i.pid, partitionId: i.partitionId, seq: i.seq, events: i.events, retry: i.retry })),
      },
      // The tracker was read after the drain: every delivery of the run is in it.
      expectations: (_audit, facts) => {
        const failures: string[] = [];
        if (!inFlight.length) failures.push(`no kill of ${cut.length} landed inside an invocation`);
        // Every event of a batch cut short must be delivered again, by a host other than the one killed.
        const later = ctx.deliveries.list().filter((i) => !inFlight.some((k) => k.pid === i.pid));
        const notRedelivered: string[] = [];
        let redelivered = 0;
        for (const k of inFlight) {
          for (const [a, b] of k.seq) {
            for (let s = a; s <= b; s++) {
              if (later.some((i) => i.partitionId === k.partitionId && covers(i, s))) redelivered++;
              else notRedelivered.push(`${k.partitionId}:${s}`);
            }
          }
        }
        if (notRedelivered.length) failures.push(`events of the batch cut short never delivered again: ${notRedelivered.slice(0, 10).join(', ')}`);
        if (inFlight.length && redelivered === 0) failures.push('the batch cut short was not redelivered');
        if (!ctx.deliveries.list(successor.pid).length) failures.push('the new host processed nothing');
        facts['inFlightEventsRedelivered'] = redelivered;
        return failures;
      },
    };
  },
};
