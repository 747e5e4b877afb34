import * as df from 'durable-functions';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { DurableClient } from 'durable-functions';
import { approverLabel, operatorIdentity, parseOperatorList, platformAuthEnabled } from '@telemetry/breaker-rules';
import { durableBreakerControl, type BreakerControl } from '../breaker-control';
import { TRIP_FUNCTION } from '../names';
import { breakerServices, type BreakerServices } from '../services';

/**
 * `POST /api/breaker/trip` (function key), body `{ "reason": "..." }`: an operator stops
 * ingestion by hand. 409 when the breaker is already open (nothing happens twice); the episode's
 * entity call decides races between a manual and a monitor trip.
 *
 * Whose authority: with App Service Authentication on (operators sign in, infra
 * `breakerAuthClientId`), the person acting: a signed-in identity on `BREAKER_OPERATORS` (a
 * browser session from the breaker's own origin, or an Entra bearer token for the app), as for
 * approvals; the function key alone is refused (403 OPERATOR_REQUIRED), so a leaked key cannot stop
 * ingestion. Without it (the local stack, a deploy without operator sign-in) there is no person to
 * ask: the key holder trips, recorded as `manual:function-key`.
 */
export function createTripBreaker(services: () => BreakerServices) {
  return async (request: HttpRequest, control: BreakerControl): Promise<HttpResponseInit> => {
    const s = services();
    const authOn = platformAuthEnabled(s.settings.WEBSITE_AUTH_ENABLED);
    const identity = operatorIdentity(request.headers, { platformAuthEnabled: authOn, allowedOperators: parseOperatorList(s.settings.BREAKER_OPERATORS), identityProvider: 'aad' });
    if (authOn) {
      const origin = request.headers.get('origin');
      if (origin !== null && origin !== new URL(s.settings.PUBLIC_BASE_URL).origin) {
        s.logger.warn('manual trip refused', { reason: 'cross-site', status: 403 });
        return { status: 403, jsonBody: { error: 'CROSS_SITE', message: 'Trip from the breaker\'s own origin.' } };
      }
      if (identity.kind !== 'platform' || !identity.onAllowList) {
        s.logger.warn('manual trip refused', { reason: identity.kind === 'platform' ? 'not-an-operator' : identity.reason, status: 403 });
        return { status: 403, jsonBody: { error: 'OPERATOR_REQUIRED', message: 'Sign in as an operator on BREAKER_OPERATORS (a session, or an Entra token for this app) to trip the breaker.' } };
      }
    }
    const state = await control.readState();
    if (state.status !== 'closed') return { status: 409, jsonBody: { status: state.status, episode: state.episode } };
    const body = (await request.json().catch(() => ({}))) as { reason?: unknown };
    const reason = typeof body.reason === 'string' && body.reason.trim() ? body.reason.trim().slice(0, 200) : 'manual trip';
    const by = `manual:${identity.kind === 'platform' ? approverLabel(identity, undefined) : 'function-key'}`;
    const instanceId = await control.startEpisode({ trip: { reason, by, counts: {} }, policy: s.policy });
    s.logger.warn('manual breaker trip requested', { by, instanceId });
    return { status: 202, jsonBody: { instanceId } };
  };
}

const trip = createTripBreaker(breakerServices);

df.app.client.http(TRIP_FUNCTION, {
  route: 'breaker/trip',
  methods: ['POST'],
  authLevel: 'function',
  handler: (request: HttpRequest, client: DurableClient, _context: InvocationContext) => trip(request, durableBreakerControl(client)),
});
