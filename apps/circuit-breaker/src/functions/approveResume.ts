import { randomUUID } from 'node:crypto';
import * as df from 'durable-functions';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { DurableClient } from 'durable-functions';
import { checkApproval } from '@telemetry/breaker-rules';
import { durableBreakerControl, type BreakerControl } from '../breaker-control';
import { APPROVE_FUNCTION } from '../names';
import { breakerServices, type BreakerServices } from '../services';
import { confirmPage, resultPage } from './approval-pages';

export interface ApproveOptions {
  /** How long a POST waits to learn whether its approval won (ms). */
  settleTimeoutMs?: number;
  pollMs?: number;
}

/**
 * `GET|POST /api/breaker/approve?token=...` (anonymous; the signed token is the credential).
 * GET only shows a confirmation page (chat tools' link previews must not consume the token);
 * POST raises the approval event, then waits for the entity's verdict so the answer is honest:
 * 200 resumed, 403 if another request used the token first, 202 if still undecided.
 */
export function createApproveResume(services: () => BreakerServices, options: ApproveOptions = {}) {
  return async (request: HttpRequest, control: BreakerControl): Promise<HttpResponseInit> => {
    const s = services();
    const token = request.query.get('token');
    const state = await control.readState();
    const check = checkApproval(token, state, s.settings.APPROVAL_SIGNING_KEY, s.clock());
    if (!check.ok) {
      s.logger.warn('approval refused', { reason: check.reason, status: check.status });
      return resultPage(check.status, 'Not accepted', refusalText(check.reason));
    }
    const { claims } = check;
    if (request.method === 'GET') return confirmPage(state, claims.episode);

    const form = await request.formData().catch(() => undefined);
    const name = form?.get('name');
    const by = request.headers.get('x-ms-client-principal-name') ?? (typeof name === 'string' && name.trim() ? name.trim().slice(0, 80) : 'approval link');
    const requestId = randomUUID();
    await control.raiseApproval(claims.instanceId, { nonce: claims.nonce, by, requestId });
    s.logger.info('approval submitted', { episode: claims.episode, by, requestId });

    const deadline = s.clock() + (options.settleTimeoutMs ?? 20_000);
    while (s.clock() < deadline) {
      const now = await control.readState();
      if (now.lastApproval?.nonce === claims.nonce) {
        return now.lastApproval.requestId === requestId
          ? resultPage(200, 'Approved', `Episode ${claims.episode}: ingestion is resuming from its checkpoints (approved by ${by}).`)
          : resultPage(403, 'Not accepted', 'This link has already been used.');
      }
      if (now.spentNonces.includes(claims.nonce) || now.status !== 'open') return resultPage(403, 'Not accepted', 'This link is no longer valid.');
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
    }
    return resultPage(202, 'Submitted', 'The approval was submitted; check the breaker status.');
  };
}

function refusalText(reason: string): string {
  switch (reason) {
    case 'expired': return 'This link has expired. A fresh one is sent when the current one lapses.';
    case 'spent': return 'This link has already been used.';
    case 'not-open': return 'The breaker is not waiting for an approval.';
    case 'not-offered': return 'This link has been superseded by a newer one.';
    default: return 'This link is not valid.';
  }
}

const approve = createApproveResume(breakerServices);

df.app.client.http(APPROVE_FUNCTION, {
  route: 'breaker/approve',
  methods: ['GET', 'POST'],
  authLevel: 'anonymous',
  handler: (request: HttpRequest, client: DurableClient, _context: InvocationContext) => approve(request, durableBreakerControl(client)),
});
