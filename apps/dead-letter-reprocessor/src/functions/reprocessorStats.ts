import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { toPipelineError } from '@telemetry/core';
import { deadLetterStats } from '@telemetry/azure-storage-queue';
import { reprocessorServices, type ReprocessorServices } from '../services';

export const STATS_FUNCTION = 'reprocessorStats';

/** Still pending (queue + poison), parked by code, and what this instance did since it started. */
export function createReprocessorStatsHandler(services: () => ReprocessorServices) {
  return async (_request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> => {
    const s = services();
    try {
      const stats = await deadLetterStats({ deadLetterQueue: s.deadLetterQueue, poisonQueue: s.poisonQueue, poisonPoisonQueue: s.poisonPoisonQueue, parking: s.parking });
      return { status: 200, jsonBody: { ...stats, instance: s.metrics.snapshot() } };
    } catch (error) {
      const failure = toPipelineError(error, 'reprocess');
      s.logger.error('reprocessor stats unavailable', { errorCode: failure.code, error: failure.message });
      return { status: 503, jsonBody: { error: failure.code } };
    }
  };
}

export const reprocessorStats = createReprocessorStatsHandler(() => reprocessorServices());

app.http(STATS_FUNCTION, { route: 'reprocessor/stats', methods: ['GET'], authLevel: 'function', handler: reprocessorStats });
