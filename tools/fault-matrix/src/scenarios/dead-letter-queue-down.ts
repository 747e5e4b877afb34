import type { FaultScenario } from '../fault-scenario';
import { rateOver, simulateLoad, sleep, waitForDeliveries } from './load';

/**
 * The dead-letter storage account (queue, claim checks, parking table) down for the outage length
 * while corrupt events keep arriving: a batch whose dead letters cannot be written fails and is
 * retried by the trigger before its checkpoint moves, so nothing is dropped; afterwards every
 * corrupt event is parked.
 *
 * The reprocessor's queue triggers pause over the outage (finishing what they hold). A message the
 * reprocessor holds when its queue goes away cannot be deleted or released, and it stays hidden for
 * the rest of the host's 10-minute receive lease, as in Azure: nothing is lost, but the drain takes
 * 10 minutes (on a loaded machine, where the restart outlasts the storage client's ~6 s of retries).
 * That lease and the retries are the host's (tools/local-host/src/queue-trigger.spec.ts); this scenario
 * is about ingestion.
 */
export const deadLetterQueueDown: FaultScenario = {
  id: 'dead-letter-queue-down',
  title: 'dead-letter queue down (its Azurite stopped)',
  restarts: ['dead-letters'],
  async run(ctx) {
    const sending = simulateLoad(ctx, { count: ctx.size, rate: rateOver(ctx.size, ctx.outageMs / 1000 + ctx.loadSeconds / 2), corruptRatio: 0.02 });
    await waitForDeliveries(ctx, Math.round(ctx.size * 0.1));
    await ctx.matrix.setReprocessorQueueTriggers(false);
    await ctx.matrix.stopDeadLetterStorage();
    ctx.log(`dead-letter storage down for ${ctx.outageMs / 1000} s (the reprocessor's queue triggers paused)`);
    await sleep(ctx.outageMs);
    await ctx.matrix.startDeadLetterStorage();
    await ctx.matrix.setReprocessorQueueTriggers(true);
    ctx.log('dead-letter storage back');
    const sent = await sending;
    const corrupt = sent.filter((e) => e.kind === 'corrupt').length;
    return {
      sent,
      facts: { outageSeconds: ctx.outageMs / 1000, corrupt },
      expectations: (audit) => (audit.parked === corrupt ? [] : [`${corrupt} corrupt events sent, ${audit.parked} parked`]),
    };
  },
};
