import { waitUntil } from '@telemetry/local-services';
import { waitForDrain } from '@telemetry/local-stack';
import type { FaultScenario } from '../fault-scenario';
import { PartitionOwners } from '../partition-owners';
import { concatRuns, freshDevicesLoad, rateOver, simulateLoad, waitForDeliveries } from './load';

const processedBy = async (host: { admin: { metrics(): Promise<Record<string, { eventsProcessed: number }>> } }): Promise<number> =>
  (await host.admin.metrics())['ingestTelemetry']?.eventsProcessed ?? 0;

/** Bounds (ms) on the rebalance's own waits: generous, since CI shares a loaded 2-core machine. */
const CLAIM_TIMEOUT_MS = 120_000;
const SECOND_HOST_WORK_TIMEOUT_MS = 120_000;
const FIRST_PART_DRAIN_TIMEOUT_MS = 300_000;
/** Ingestion's `partitionOwnershipExpirationInterval` as matrix-stack.ts sets it (00:00:05). */
const OWNERSHIP_EXPIRATION_MS = 5_000;

/**
 * A second ingestion host joins mid-run and the first leaves gracefully: partitions move twice
 * under load. 40% of the load goes first; the second host starts once 20% is delivered; the rest
 * (60%, drones of their own) is sent only once the second host owns a partition (its ownership
 * blob) and the first part is processed, so what the second host then processes is that rest.
 * The first host leaves once the second has processed some of it.
 */
export const rebalance: FaultScenario = {
  id: 'rebalance',
  title: 'two hosts rebalancing partitions',
  async run(ctx) {
    const firstCount = Math.round(ctx.size * 0.4);
    const restCount = ctx.size - firstCount;
    const sendingFirst = simulateLoad(ctx, { count: firstCount, rate: rateOver(ctx.size, ctx.loadSeconds) });
    await waitForDeliveries(ctx, Math.round(ctx.size * 0.2));
    const owners = PartitionOwners.forStack(ctx.matrix.descriptor);
    // The first host's owner id (and any left by an earlier scenario's host): the second's is new.
    const known = await owners.ownerIds();
    const first = ctx.matrix.ingestion[0]!;
    const second = await ctx.matrix.addIngestionHost();
    ctx.log('second ingestion host started');
    const failures: string[] = [];
    const claimed = await owners.waitForNewOwner(known, { timeoutMs: CLAIM_TIMEOUT_MS, expirationMs: OWNERSHIP_EXPIRATION_MS }).catch((error: unknown) => {
      failures.push(`the second host took no partition while both ran: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    });
    ctx.log(`second ingestion host owns partition(s) ${claimed.join(', ') || 'none'}`);
    const firstRun = await sendingFirst;
    await waitForDrain(ctx.matrix.descriptor, { timeoutMs: FIRST_PART_DRAIN_TIMEOUT_MS });
    const before = await processedBy(second);
    // At least 40 drones: each of the 4 partitions gets some of the rest (all but ~1e-5 of the time).
    const sendingRest = freshDevicesLoad(ctx, { count: restCount, seconds: ctx.loadSeconds * 0.6, prefix: 'rebalance', seedOffset: 1, minDevices: 40 });
    let secondProcessedOfRest = 0;
    if (claimed.length) {
      secondProcessedOfRest = await waitUntil(async () => Math.max(0, (await processedBy(second)) - before), {
        timeoutMs: SECOND_HOST_WORK_TIMEOUT_MS, intervalMs: 250, description: 'the second host to process some of the rest',
      }).catch(() => 0);
      if (secondProcessedOfRest <= 0) failures.push('the second host processed none of the load sent after it took a partition');
      ctx.log(`second ingestion host processed ${secondProcessedOfRest} events of the rest while both ran`);
    }
    await ctx.deliveries.refresh(ctx.matrix.ingestion);
    await ctx.matrix.stopIngestionHost(first);
    ctx.log('first ingestion host stopped (graceful)');
    const rest = await sendingRest;
    return {
      sent: concatRuns(firstRun, rest),
      facts: { secondHostPartitions: claimed, secondHostProcessedOfRestWhileBothRan: secondProcessedOfRest },
      expectations: () => failures,
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
