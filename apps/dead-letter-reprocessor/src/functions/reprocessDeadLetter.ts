import { app, type InvocationContext } from '@azure/functions';
import { reprocessDeadLetter as reprocess, type ReprocessOutcome, type ReprocessorDeps } from '@telemetry/reprocessing';
import { reprocessorServices } from '../services';

export const REPROCESS_FUNCTION = 'reprocessDeadLetter';

/** The handler, apart from its registration: tests and the local host call exactly this. */
export function createReprocessDeadLetterHandler(deps: () => ReprocessorDeps) {
  // The trigger hands over the message text JSON-parsed (base64 decoded first, host.json messageEncoding).
  return async (message: unknown, _context: InvocationContext): Promise<ReprocessOutcome> => reprocess(message, deps());
}

export const reprocessDeadLetter = createReprocessDeadLetterHandler(() => reprocessorServices());

app.storageQueue(REPROCESS_FUNCTION, {
  queueName: '%DEAD_LETTER_QUEUE%',
  connection: 'DeadLetterStorage',
  handler: reprocessDeadLetter,
});
