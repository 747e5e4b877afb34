import { app, type InvocationContext } from '@azure/functions';
import { parkPoisonedDeadLetter as park, type ReprocessOutcome, type ReprocessorDeps } from '@telemetry/reprocessing';
import { HOST_MAX_DEQUEUE_COUNT } from '../config';
import { reprocessorServices } from '../services';

export const PARK_POISONED_FUNCTION = 'parkPoisonedDeadLetter';

/** Drains `<queue>-poison` (messages the host gave up on) into the parking store. */
export function createParkPoisonedHandler(deps: () => ReprocessorDeps) {
  return async (message: unknown, _context: InvocationContext): Promise<ReprocessOutcome> => park(message, deps(), HOST_MAX_DEQUEUE_COUNT);
}

export const parkPoisonedDeadLetter = createParkPoisonedHandler(() => reprocessorServices());

app.storageQueue(PARK_POISONED_FUNCTION, {
  queueName: '%DEAD_LETTER_QUEUE%-poison',
  connection: 'DeadLetterStorage',
  handler: parkPoisonedDeadLetter,
});
