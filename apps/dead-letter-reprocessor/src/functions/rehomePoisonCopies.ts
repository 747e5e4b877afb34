import { app, type InvocationContext, type Timer } from '@azure/functions';
import { rehomePoisonCopies, type RehomeResult } from '@telemetry/azure-storage-queue';
import { parkPoisonedDeadLetter } from '@telemetry/reprocessing';
import { HOST_MAX_DEQUEUE_COUNT } from '../config';
import { reprocessorServices, type ReprocessorServices } from '../services';

export const REHOME_POISON_FUNCTION = 'rehomePoisonCopies';
/** Every 5 minutes: well inside the 7 days after which the host's poison copies would expire, and about the 10 minutes a failed copy stays hidden. */
export const REHOME_POISON_SCHEDULE = '0 */5 * * * *';

/**
 * Sweeps `<queue>-poison` into the parking store with the poison handler's own logic; what still
 * cannot be parked is kept with TTL -1. The Functions host gives a queue named `*-poison` no poison
 * queue of its own (QueueListenerFactory.CreatePoisonQueueReference): a copy parkPoisonedDeadLetter
 * failed on stays in `-poison`, hidden for 10 minutes after each try, and once past maxDequeueCount
 * the trigger never runs it again; without this sweep it would expire 7 days after the host copied
 * it. `-poison-poison` (which Azure's host never fills) is swept too, for copies an earlier local
 * host or a person put there.
 */
export function createRehomePoisonHandler(services: () => ReprocessorServices) {
  return async (_timer: Timer, _context: InvocationContext): Promise<RehomeResult> => {
    const s = services();
    const park = (text: string) => parkPoisonedDeadLetter(text, s, HOST_MAX_DEQUEUE_COUNT);
    const total: RehomeResult = { parked: 0, rehomed: 0, kept: 0 };
    for (const queue of [s.poisonQueue, s.poisonPoisonQueue]) {
      const result = await rehomePoisonCopies(queue, park);
      if (result.parked + result.rehomed + result.kept > 0) s.logger.warn('poison copies swept', { queue: queue.name, ...result });
      total.parked += result.parked;
      total.rehomed += result.rehomed;
      total.kept += result.kept;
    }
    return total;
  };
}

export const rehomePoisonCopiesFunction = createRehomePoisonHandler(() => reprocessorServices());

app.timer(REHOME_POISON_FUNCTION, { schedule: REHOME_POISON_SCHEDULE, handler: rehomePoisonCopiesFunction });
