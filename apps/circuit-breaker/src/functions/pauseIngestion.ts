import * as df from 'durable-functions';
import type { InvocationContext } from '@azure/functions';
import { PAUSE_INGESTION_ACTIVITY } from '../names';
import { breakerServices, type BreakerServices } from '../services';

/** Activity: stop ingestion through the configured switch (idempotent). */
export function createPauseIngestion(services: () => BreakerServices) {
  return async (input: unknown, _context: InvocationContext): Promise<{ target: string }> => {
    const { ingestion, logger } = services();
    await ingestion.pause();
    logger.warn('ingestion paused by the circuit breaker', { target: ingestion.description, episode: (input as { episode?: number })?.episode });
    return { target: ingestion.description };
  };
}

df.app.activity(PAUSE_INGESTION_ACTIVITY, { handler: createPauseIngestion(breakerServices) });
