import * as df from 'durable-functions';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { DurableClient } from 'durable-functions';
import type { BreakerState } from '@telemetry/breaker-rules';
import type { BreakerStatusReport } from '@telemetry/contracts';
import { approvalPageLink } from '../approval-link';
import { durableBreakerControl, type BreakerControl } from '../breaker-control';
import { SUMMARY_FUNCTION } from '../names';
import { breakerServices, type BreakerServices } from '../services';

/** Who changes the breaker's phase by itself; anything else is an operator, named only on the keyed endpoint. */
const SYSTEM_ACTORS = new Set(['monitor', 'probe', 'cooldown']);

/**
 * The anonymous subset of the status: phase, since, episode, the switch's progress, whether an
 * approval is on offer (until when, and the approval page). No credential, no operator's name and
 * no operator's free text (manual trip reasons), so a reader needs no key: device-status shows
 * it on the dashboard without holding any of the breaker's keys (issue 13 item 6).
 */
export function publicBreakerReport(state: BreakerState, s: BreakerServices): BreakerStatusReport {
  const actor = (by: string): string => (SYSTEM_ACTORS.has(by) ? by : 'operator');
  return {
    status: state.status,
    episode: state.episode,
    since: state.since,
    transitions: state.transitions.map((t) => ({
      from: t.from, to: t.to, at: t.at, episode: t.episode, by: actor(t.by), reason: SYSTEM_ACTORS.has(t.by) ? t.reason : 'by an operator',
    })),
    ...(state.approval ? { approval: { expiresAt: state.approval.expiresAt, page: approvalPageLink(s) } } : {}),
    ...(state.switch ? { switch: state.switch } : {}),
  };
}

export function createBreakerSummary(services: () => BreakerServices) {
  return async (_request: HttpRequest, control: BreakerControl): Promise<HttpResponseInit> => ({
    status: 200,
    headers: { 'cache-control': 'no-store' },
    jsonBody: publicBreakerReport(await control.readState(), services()),
  });
}

const summary = createBreakerSummary(breakerServices);

df.app.client.http(SUMMARY_FUNCTION, {
  route: 'breaker/summary',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: (request: HttpRequest, client: DurableClient, _context: InvocationContext) => summary(request, durableBreakerControl(client)),
});
