import * as df from 'durable-functions';
import type { InvocationContext } from '@azure/functions';
import { RESUME_INGESTION_ACTIVITY } from '../names';
import { breakerServices, type BreakerServices } from '../services';

/** Activity: restart ingestion (it continues from the last Event Hubs checkpoint). */
export function createResumeIngestion(services: () => BreakerServices) {
  return async (input: unknown, _context: InvocationContext): Promise<{ target: string }> => {
    const { ingestion, logger } = services();
    await ingestion.resume();
    logger.info('ingestion resumed by the circuit breaker', { target: ingestion.description, episode: (input as { episode?: number })?.episode });
    return { target: ingestion.description };
  };
}

df.app.activity(RESUME_INGESTION_ACTIVITY, { handler: createResumeIngestion(breakerServices) });
