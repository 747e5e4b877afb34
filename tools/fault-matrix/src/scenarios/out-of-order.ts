import type { FaultScenario } from '../fault-scenario';
import { outOfOrderEvents } from '../out-of-order-events';
import { sendEvents } from '../send-events';

/** Each device's events shuffled and spread over batches, 10% resent later: the final state must still equal the model. */
export const outOfOrder: FaultScenario = {
  id: 'out-of-order',
  title: 'out-of-order and duplicated delivery',
  async run(ctx) {
    const events = outOfOrderEvents({ devices: Math.max(20, Math.round(ctx.size / 100)), count: ctx.size, seed: ctx.seed, keyFrameEvery: 10, duplicateRatio: 0.1, startTime: Date.now() });
    const d = ctx.matrix.descriptor.eventHubs;
    const sent = await sendEvents(events, { connectionString: d.connectionString, hubName: d.hubName, batchSize: 3, concurrency: 32 });
    return {
      sent,
      facts: { duplicatesSent: sent.filter((e) => e.duplicateOf !== undefined).length },
      expectations: (audit) => (audit.superseded > 0 ? [] : ['no event was superseded: the delivery was not out of order']),
    };
  },
};
