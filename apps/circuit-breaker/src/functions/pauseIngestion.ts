import * as df from 'durable-functions';
import type { InvocationContext } from '@azure/functions';
import type { SwitchInput, SwitchResult } from '../episode-contract';
import { switchFailureCode } from '../switch-failure';
import { PAUSE_INGESTION_ACTIVITY } from '../names';
import { breakerServices, type BreakerServices } from '../services';

/**
 * Activity: stop ingestion through the configured switch (idempotent). Never throws: a failure is
 * reported by its code and HTTP status (never its message, which can carry an endpoint), and the
 * orchestration retries on a durable timer until the switch works.
 */
export function createPauseIngestion(services: () => BreakerServices) {
  return async (input: unknown, _context: InvocationContext): Promise<SwitchResult> => {
    const { episode, attempt } = (input ?? {}) as Partial<SwitchInput>;
    let s: BreakerServices | undefined;
    try {
      s = services();
      await s.ingestion.pause();
      s.logger.warn('ingestion paused by the circuit breaker', { target: s.ingestion.description, episode, attempt });
      return { ok: true, target: s.ingestion.description };
    } catch (error) {
      const code = switchFailureCode(error);
      s?.logger.warn('ingestion switch failed: pause will be retried', { target: s.ingestion.description, episode, attempt, errorCode: code });
      return { ok: false, code };
    }
  };
}

df.app.activity(PAUSE_INGESTION_ACTIVITY, { handler: createPauseIngestion(breakerServices) });
