import { app, type InvocationContext, type Timer } from '@azure/functions';
import { rehomePoisonCopies, type RehomeResult } from '@telemetry/azure-storage-queue';
import { parkPoisonedDeadLetter } from '@telemetry/reprocessing';
import { HOST_MAX_DEQUEUE_COUNT } from '../config';
import { reprocessorServices, type ReprocessorServices } from '../services';

export const REHOME_POISON_FUNCTION = 'rehomePoisonCopies';
/** Every 5 minutes: well inside the 7 days after which the host's poison copies would expire. */
export const REHOME_POISON_SCHEDULE = '0 */5 * * * *';

/**
 * Drains `<queue>-poison-poison` (poison copies parkPoisonedDeadLetter failed on, which nothing
 * triggers on) into the parking store; what still cannot be parked is kept with TTL -1.
 */
export function createRehomePoisonHandler(services: () => ReprocessorServices) {
  return async (_timer: Timer, _context: InvocationContext): Promise<RehomeResult> => {
    const s = services();
    const result = await rehomePoisonCopies(s.poisonPoisonQueue, (text) => parkPoisonedDeadLetter(text, s, HOST_MAX_DEQUEUE_COUNT));
    if (result.parked + result.rehomed + result.kept > 0) s.logger.warn('poison-poison copies handled', { queue: s.poisonPoisonQueue.name, ...result });
    return result;
  };
}

export const rehomePoisonCopiesFunction = createRehomePoisonHandler(() => reprocessorServices());

app.timer(REHOME_POISON_FUNCTION, { schedule: REHOME_POISON_SCHEDULE, handler: rehomePoisonCopiesFunction });
