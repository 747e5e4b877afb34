import { randomUUID } from 'node:crypto';
import * as df from 'durable-functions';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { DurableClient } from 'durable-functions';
import { approverLabel, checkApproval, operatorIdentity, parseOperatorList, platformAuthEnabled, type BreakerState, type OperatorIdentity } from '@telemetry/breaker-rules';
import { durableBreakerControl, type BreakerControl } from '../breaker-control';
import { APPROVE_FUNCTION } from '../names';
import { breakerServices, type BreakerServices } from '../services';
import { confirmPage, OFFER_FIELD, resultPage } from './approval-pages';

export interface ApproveOptions {
  /** How long a POST waits to learn whether its approval won (ms). */
  settleTimeoutMs?: number;
  pollMs?: number;
}

/** Where an operator without a session signs in (App Service Authentication, Entra ID), coming back here. */
export const SIGN_IN_PATH = `/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent('/api/breaker/approve')}`;

/**
 * `GET|POST /api/breaker/approve[?token=...]` (anonymous at the Functions level): the breaker's
 * approval flow, the only way to resume. It takes the operator's own authority, one of:
 * - the signed link they were sent (`?token=`): the token is the credential;
 * - no token, signed in through App Service Authentication (`WEBSITE_AUTH_ENABLED`) as an identity
 *   on `BREAKER_OPERATORS`: approves the approval currently on offer. Its POST must come from this
 *   origin (the platform's session is a cookie: a cross-site form must not ride on it) and name the
 *   offer its page showed (`offer`, the nonce): a page shown for an earlier offer or episode is
 *   refused (403, like a superseded link) instead of approving whatever is on offer now.
 * GET only shows a confirmation page (chat tools' link previews must not consume the token);
 * POST raises the approval event, then waits for the entity's verdict so the answer is honest:
 * 200 resumed, 403 if another request used the approval first, 202 if still undecided.
 * The approver is the platform's principal when authentication is on and its headers agree;
 * otherwise the typed name, recorded as unauthenticated (the headers are then anyone's to send).
 */
export function createApproveResume(services: () => BreakerServices, options: ApproveOptions = {}) {
  return async (request: HttpRequest, control: BreakerControl): Promise<HttpResponseInit> => {
    const s = services();
    const authOn = platformAuthEnabled(s.settings.WEBSITE_AUTH_ENABLED);
    const identity = operatorIdentity(request.headers, { platformAuthEnabled: authOn, allowedOperators: parseOperatorList(s.settings.BREAKER_OPERATORS), identityProvider: 'aad' });
    const token = request.query.get('token');
    const state = await control.readState();
    let claims: { instanceId: string; episode: number; nonce: string };
    if (token) {
      const check = checkApproval(token, state, s.settings.APPROVAL_SIGNING_KEY, s.clock());
      if (!check.ok) {
        s.logger.warn('approval refused', { reason: check.reason, status: check.status });
        return resultPage(check.status, 'Not accepted', refusalText(check.reason));
      }
      claims = check.claims;
    } else {
      const offer = signedInOffer(identity, state, s.clock(), authOn);
      if ('page' in offer) return offer.page;
      claims = offer;
    }
    if (request.method === 'GET') {
      // Only the signed-in page names its offer: a link's offer is in its (signed) token.
      return confirmPage(state, claims.episode, !token && identity.kind === 'platform' ? { approver: approverLabel(identity, undefined), offer: claims.nonce } : undefined);
    }
    if (!token && !sameOrigin(request, s.settings.PUBLIC_BASE_URL)) {
      s.logger.warn('approval refused', { reason: 'cross-site', status: 403 });
      return resultPage(403, 'Not accepted', 'Approve from the breaker\'s own page.');
    }

    const form = await request.formData().catch(() => undefined);
    if (!token && form?.get(OFFER_FIELD) !== claims.nonce) {
      // The page was shown for another offer (an earlier episode, or a lapsed link's): answered like a superseded link.
      s.logger.warn('approval refused', { reason: 'not-offered', status: 403, episode: claims.episode, via: 'sign-in' });
      return resultPage(403, 'Not accepted', `The page you approved from showed an offer that is no longer current; episode ${claims.episode} is waiting. Reload the page, check it, and approve again.`, { href: '/api/breaker/approve', label: 'Reload' });
    }
    const name = form?.get('name');
    const by = approverLabel(identity, typeof name === 'string' ? name : undefined);
    const requestId = randomUUID();
    await control.raiseApproval(claims.instanceId, { nonce: claims.nonce, by, requestId });
    s.logger.info('approval submitted', { episode: claims.episode, by, requestId, authenticated: identity.kind === 'platform', via: token ? 'link' : 'sign-in' });

    const deadline = s.clock() + (options.settleTimeoutMs ?? 20_000);
    while (s.clock() < deadline) {
      const now = await control.readState();
      if (now.lastApproval?.nonce === claims.nonce) {
        return now.lastApproval.requestId === requestId
          ? resultPage(200, 'Approved', `Episode ${claims.episode}: ingestion is resuming from its checkpoints (approved by ${by}).`)
          : resultPage(403, 'Not accepted', 'This approval has already been used.');
      }
      if (now.spentNonces.includes(claims.nonce) || now.status !== 'open') return resultPage(403, 'Not accepted', 'This approval is no longer valid.');
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
    }
    return resultPage(202, 'Submitted', 'The approval was submitted; check the breaker status.');
  };
}

/** Without a link: the offer a signed-in operator on the allow-list may approve, or the page saying why not. */
function signedInOffer(identity: OperatorIdentity, state: BreakerState, now: number, authOn: boolean): { instanceId: string; episode: number; nonce: string } | { page: HttpResponseInit } {
  if (identity.kind !== 'platform') {
    const text = authOn
      ? 'Use the approval link you were sent, or sign in as an operator.'
      : 'Use the approval link you were sent (sign-in is not configured for this breaker).';
    return { page: resultPage(401, 'Approval link or sign-in needed', text, authOn ? { href: SIGN_IN_PATH, label: 'Sign in' } : undefined) };
  }
  if (!identity.onAllowList) return { page: resultPage(403, 'Not accepted', `${identity.name} is not on the breaker's operator list (BREAKER_OPERATORS).`) };
  if (state.status !== 'open' || !state.approval) return { page: resultPage(403, 'Not accepted', 'The breaker is not waiting for an approval.') };
  if (now >= Date.parse(state.approval.expiresAt)) return { page: resultPage(403, 'Not accepted', 'The approval on offer has lapsed; a fresh one is offered shortly.') };
  return { instanceId: state.approval.instanceId, episode: state.episode, nonce: state.approval.nonce };
}

/** A browser always sends Origin with a form POST: it must be this app's own. */
function sameOrigin(request: HttpRequest, publicBaseUrl: string): boolean {
  const origin = request.headers.get('origin');
  return origin !== null && origin === new URL(publicBaseUrl).origin;
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
