import { app, type HttpResponseInit } from '@azure/functions';
import { collectOpsSummary, type OpsSources } from '@telemetry/device-queries';
import { json } from '../http-responses';
import { deviceStatusServices } from '../services';

export const OPS_SUMMARY_FUNCTION = 'opsSummary';

/** GET /api/ops/summary: 200 with each part's own status (a down service is data, not a failure). */
export function createOpsSummaryHandler(sources: () => OpsSources) {
  return async (): Promise<HttpResponseInit> => json(200, await collectOpsSummary(sources()));
}

app.http(OPS_SUMMARY_FUNCTION, {
  methods: ['GET'],
  authLevel: 'function',
  route: 'ops/summary',
  handler: createOpsSummaryHandler(() => deviceStatusServices().ops),
});
