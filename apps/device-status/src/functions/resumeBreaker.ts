import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { redactSecrets } from '@telemetry/core';
import type { BreakerControlPort } from '@telemetry/device-queries';
import { json } from '../http-responses';
import { deviceStatusServices } from '../services';

export const RESUME_BREAKER_FUNCTION = 'resumeBreaker';

/**
 * POST /api/ops/breaker/resume: submits the breaker's own signed approval link (see
 * BreakerClient in libs/http-adapters). 202 when the breaker accepted, 409 when it offers no (valid) approval, 502 otherwise.
 */
export function createResumeBreakerHandler(breaker: () => BreakerControlPort | undefined) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const client = breaker();
    if (!client) return json(404, { error: 'NOT_CONFIGURED', message: 'no breaker configured (BREAKER_STATUS_URL)' });
    try {
      // The approver's name as the breaker records it: the signed-in user behind App Service
      // authentication when there is one, else this dashboard.
      const by = request.headers.get('x-ms-client-principal-name') ?? 'operations dashboard';
      const outcome = await client.resume(by);
      context.info('breaker resume requested', { accepted: outcome.accepted, status: outcome.status });
      return json(outcome.accepted ? 202 : outcome.status === 409 || outcome.status === 403 ? 409 : 502, outcome);
    } catch (error) {
      context.warn('breaker unreachable', { message: redactSecrets(error instanceof Error ? error.message : String(error)) });
      return json(502, { accepted: false, status: 502, message: 'the breaker could not be reached' });
    }
  };
}

app.http(RESUME_BREAKER_FUNCTION, {
  methods: ['POST'],
  authLevel: 'function',
  route: 'ops/breaker/resume',
  handler: createResumeBreakerHandler(() => deviceStatusServices().breaker),
});
