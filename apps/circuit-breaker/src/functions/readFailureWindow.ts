import * as df from 'durable-functions';
import type { InvocationContext } from '@azure/functions';
import type { ReadWindowInput, ReadWindowOutput } from '../episode-contract';
import { READ_FAILURE_WINDOW_ACTIVITY } from '../names';
import { breakerServices, type BreakerServices } from '../services';

/** Activity: failures recorded since `sinceMs` (bucket granularity: counts the bucket holding it). */
export function createReadFailureWindow(services: () => BreakerServices) {
  return async (input: unknown, _context: InvocationContext): Promise<ReadWindowOutput> => {
    const { failures, clock } = services();
    const { sinceMs } = input as ReadWindowInput;
    const now = clock();
    const window = await failures.windowTotal(Math.max(1, now - sinceMs + 1), { now });
    return { total: window.total, byCode: window.byCode };
  };
}

df.app.activity(READ_FAILURE_WINDOW_ACTIVITY, { handler: createReadFailureWindow(breakerServices) });
