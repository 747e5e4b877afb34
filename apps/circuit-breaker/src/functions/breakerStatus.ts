import * as df from 'durable-functions';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { DurableClient } from 'durable-functions';
import type { BreakerStatusReport } from '@telemetry/contracts';
import { toPipelineError } from '@telemetry/core';
import { approvalPageLink } from '../approval-link';
import { durableBreakerControl, type BreakerControl } from '../breaker-control';
import { STATUS_FUNCTION } from '../names';
import { breakerServices, type BreakerServices } from '../services';

/**
 * `GET /api/breaker` (function key), BreakerStatusReport in libs/contracts: state, every recorded
 * transition (who/why/when), the live failure window, the episode's progress, the switch's
 * progress and, while an approval is offered, until when and the approval page. Neither the
 * signed link nor a nonce is ever shown: the link goes to the operator alone.
 */
export function createBreakerStatus(services: () => BreakerServices) {
  return async (_request: HttpRequest, control: BreakerControl): Promise<HttpResponseInit> => {
    const s = services();
    const state = await control.readState();
    const window = await s.failures.windowTotal(s.policy.windowMs, { now: s.clock() }).catch((error: unknown) => ({ error: toPipelineError(error).code }));
    const episode = state.instanceId ? await control.episodeStatus(state.instanceId) : undefined;
    const { approval, spentNonces: _spent, lastApproval, ...rest } = state;
    const report: BreakerStatusReport = {
      ...rest,
      lastApproval: lastApproval ? { by: lastApproval.by, at: lastApproval.at } : undefined,
      // Never the signed link: a key holder (an app reading status) must not hold resume authority.
      approval: approval ? { expiresAt: approval.expiresAt, page: approvalPageLink(s) } : undefined,
      episodeRuntime: episode,
      window,
      policy: s.policy,
      target: s.ingestion.description,
    };
    return { status: 200, jsonBody: report };
  };
}

const status = createBreakerStatus(breakerServices);

df.app.client.http(STATUS_FUNCTION, {
  route: 'breaker',
  methods: ['GET'],
  authLevel: 'function',
  handler: (request: HttpRequest, client: DurableClient, _context: InvocationContext) => status(request, durableBreakerControl(client)),
});
