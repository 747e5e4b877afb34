import * as df from 'durable-functions';
import type { InvocationContext } from '@azure/functions';
import type { SwitchInput, SwitchResult } from '../episode-contract';
import { switchFailureCode } from '../switch-failure';
import { RESUME_INGESTION_ACTIVITY } from '../names';
import { breakerServices, type BreakerServices } from '../services';

/**
 * Activity: restart ingestion (it continues from the last Event Hubs checkpoint). Never throws: a
 * failure is reported by its code and HTTP status (never its message, which can carry an
 * endpoint), and the orchestration retries on a durable timer until the switch works.
 */
export function createResumeIngestion(services: () => BreakerServices) {
  return async (input: unknown, _context: InvocationContext): Promise<SwitchResult> => {
    const { episode, attempt } = (input ?? {}) as Partial<SwitchInput>;
    let s: BreakerServices | undefined;
    try {
      s = services();
      await s.ingestion.resume();
      s.logger.info('ingestion resumed by the circuit breaker', { target: s.ingestion.description, episode, attempt });
      return { ok: true, target: s.ingestion.description };
    } catch (error) {
      const code = switchFailureCode(error);
      s?.logger.warn('ingestion switch failed: resume will be retried', { target: s.ingestion.description, episode, attempt, errorCode: code });
      return { ok: false, code };
    }
  };
}

df.app.activity(RESUME_INGESTION_ACTIVITY, { handler: createResumeIngestion(breakerServices) });
