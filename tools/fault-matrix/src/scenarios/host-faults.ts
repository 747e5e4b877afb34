import type { FaultScenario } from '../fault-scenario';
import { concatRuns, rateOver, simulateLoad, waitForDeliveries } from './load';

const processedBy = async (host: { admin: { metrics(): Promise<Record<string, { eventsProcessed: number }>> } }): Promise<number> =>
  (await host.admin.metrics())['ingestTelemetry']?.eventsProcessed ?? 0;

/** The ingestion host killed with SIGKILL mid-batch (no checkpoint, no release); a new one takes over after ownership expiry. */
export const hostKilled: FaultScenario = {
  id: 'host-sigkill',
  title: 'ingestion host killed with SIGKILL mid-batch',
  async run(ctx) {
    const sending = simulateLoad(ctx, { count: ctx.size, rate: rateOver(ctx.size, ctx.loadSeconds) });
    await waitForDeliveries(ctx, Math.round(ctx.size * 0.3));
    const victim = ctx.matrix.ingestion[0]!;
    await ctx.deliveries.refresh(ctx.matrix.ingestion);
    await ctx.matrix.killIngestionHost(victim);
    ctx.log('ingestion host killed (SIGKILL)');
    const successor = await ctx.matrix.addIngestionHost();
    const sent = await sending;
    return {
      sent,
      facts: { killedAfterDeliveries: ctx.deliveries.total() },
      verify: async () => ((await processedBy(successor)) > 0 ? [] : ['the new host processed nothing']),
    };
  },
};

/** A second ingestion host joins mid-run and the first leaves gracefully: partitions move twice under load. */
export const rebalance: FaultScenario = {
  id: 'rebalance',
  title: 'two hosts rebalancing partitions',
  async run(ctx) {
    const sending = simulateLoad(ctx, { count: ctx.size, rate: rateOver(ctx.size, ctx.loadSeconds) });
    await waitForDeliveries(ctx, Math.round(ctx.size * 0.2));
    const first = ctx.matrix.ingestion[0]!;
    const second = await ctx.matrix.addIngestionHost();
    ctx.log('second ingestion host started');
    await waitForDeliveries(ctx, Math.round(ctx.size * 0.6));
    const secondEarly = await processedBy(second);
    await ctx.deliveries.refresh(ctx.matrix.ingestion);
    await ctx.matrix.stopIngestionHost(first);
    ctx.log('first ingestion host stopped (graceful)');
    const sent = await sending;
    return {
      sent,
      facts: { secondHostProcessedWhileBothRan: secondEarly },
      expectations: () => (secondEarly > 0 ? [] : ['the second host took no partition while both ran']),
    };
  },
};

/** The Event Hubs emulator stopped and restarted (same port and data) while ingestion works through a backlog; more events follow. */
export const emulatorRestart: FaultScenario = {
  id: 'emulator-restart',
  title: 'Event Hubs emulator restarted',
  async run(ctx) {
    const first = await simulateLoad(ctx, { count: Math.round(ctx.size * 0.8), rate: 0 });
    await waitForDeliveries(ctx, Math.round(ctx.size * 0.2));
    await ctx.matrix.restartEmulator(3_000);
    ctx.log('emulator restarted');
    const second = await simulateLoad(ctx, { count: Math.round(ctx.size * 0.2), rate: 0, seed: ctx.seed + 1 });
    return { sent: concatRuns(first, second) };
  },
};
