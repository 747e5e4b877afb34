import * as df from 'durable-functions';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { DurableClient } from 'durable-functions';
import { approverLabel, operatorIdentity, platformAuthEnabled } from '@telemetry/breaker-rules';
import { durableBreakerControl, type BreakerControl } from '../breaker-control';
import { TRIP_FUNCTION } from '../names';
import { breakerServices, type BreakerServices } from '../services';

/**
 * `POST /api/breaker/trip` (function key), body `{ "reason": "..." }`: an operator stops
 * ingestion by hand. 409 when the breaker is already open (nothing happens twice); the episode's
 * entity call decides races between a manual and a monitor trip.
 */
export function createTripBreaker(services: () => BreakerServices) {
  return async (request: HttpRequest, control: BreakerControl): Promise<HttpResponseInit> => {
    const s = services();
    const state = await control.readState();
    if (state.status !== 'closed') return { status: 409, jsonBody: { status: state.status, episode: state.episode } };
    const body = (await request.json().catch(() => ({}))) as { reason?: unknown };
    const reason = typeof body.reason === 'string' && body.reason.trim() ? body.reason.trim().slice(0, 200) : 'manual trip';
    // The caller holds a function key; a name is recorded only when the platform vouches for it.
    const identity = operatorIdentity(request.headers, { platformAuthEnabled: platformAuthEnabled(s.settings.WEBSITE_AUTH_ENABLED), allowedOperators: [], identityProvider: 'aad' });
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
