import * as df from 'durable-functions';
import type { InvocationContext } from '@azure/functions';
import { downstreamFailures } from '@telemetry/breaker-rules';
import type { ReadWindowInput, ReadWindowOutput } from '../episode-contract';
import { READ_FAILURE_WINDOW_ACTIVITY } from '../names';
import { breakerServices, type BreakerServices } from '../services';

/**
 * Activity: downstream failures recorded since `sinceMs` (bucket granularity: counts the bucket
 * holding it), with every code's count for the record.
 */
export function createReadFailureWindow(services: () => BreakerServices) {
  return async (input: unknown, _context: InvocationContext): Promise<ReadWindowOutput> => {
    const { failures, clock } = services();
    const { sinceMs } = input as ReadWindowInput;
    const now = clock();
    const window = await failures.windowTotal(Math.max(1, now - sinceMs + 1), { now });
    return { total: downstreamFailures(window.byCode), byCode: window.byCode };
  };
}

df.app.activity(READ_FAILURE_WINDOW_ACTIVITY, { handler: createReadFailureWindow(breakerServices) });
