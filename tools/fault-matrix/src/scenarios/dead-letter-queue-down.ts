import type { FaultScenario } from '../fault-scenario';
import { rateOver, simulateLoad, sleep, waitForDeliveries } from './load';

/**
 * The dead-letter storage account (queue, claim checks, parking table) down for the outage length
 * while corrupt events keep arriving: a batch whose dead letters cannot be written fails and is
 * retried by the trigger before its checkpoint moves, so nothing is dropped; afterwards every
 * corrupt event is parked.
 */
export const deadLetterQueueDown: FaultScenario = {
  id: 'dead-letter-queue-down',
  title: 'dead-letter queue down (its Azurite stopped)',
  restarts: ['dead-letters'],
  async run(ctx) {
    const sending = simulateLoad(ctx, { count: ctx.size, rate: rateOver(ctx.size, ctx.outageMs / 1000 + ctx.loadSeconds / 2), corruptRatio: 0.02 });
    await waitForDeliveries(ctx, Math.round(ctx.size * 0.1));
    await ctx.matrix.stopDeadLetterStorage();
    ctx.log(`dead-letter storage down for ${ctx.outageMs / 1000} s`);
    await sleep(ctx.outageMs);
    await ctx.matrix.startDeadLetterStorage();
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
