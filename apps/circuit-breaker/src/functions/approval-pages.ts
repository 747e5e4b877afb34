import type { HttpResponseInit } from '@azure/functions';
import type { BreakerState } from '@telemetry/breaker-rules';

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const page = (title: string, body: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>${escape(title)}</title></head>` +
  `<body style="font-family:sans-serif;max-width:40em;margin:2em auto">${body}</body></html>`;

/**
 * The pages hold a bearer link (the token is in the URL) and a button that resumes ingestion:
 * nothing may frame them (clickjacking), load anything into them, or send their form elsewhere.
 * No script at all; the one inline style attribute is the only allowance.
 */
export const APPROVAL_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export const APPROVAL_PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'content-security-policy': APPROVAL_PAGE_CSP,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
});

/** Form field naming the offer (its nonce) a signed-in page showed; the POST must still name the current one. */
export const OFFER_FIELD = 'offer';

/**
 * GET: what will happen, and a form that POSTs to the same URL (token kept in the query). Signed
 * in (`signedIn` set), the platform's name is recorded and no name is asked for; the form carries
 * the offer it showed, so a page left open (or re-submitted) cannot approve a later offer. The
 * nonce binds intent only: the signed-in identity is the authority, and a nonce approves nothing
 * without it (the link path's token carries its own nonce, signed).
 */
export function confirmPage(state: BreakerState, episode: number, signedIn?: { approver: string; offer: string }): HttpResponseInit {
  const trip = state.trip;
  const who = signedIn
    ? `<p>Signed in as ${escape(signedIn.approver)}.</p><input type="hidden" name="${OFFER_FIELD}" value="${escape(signedIn.offer)}">`
    : `<label>Your name <input name="name" maxlength="80"></label> <small>(recorded as given, marked unauthenticated)</small> `;
  const body =
    `<h1>Resume telemetry ingestion?</h1><p>Episode ${episode}: ingestion was paused at ${escape(trip?.at ?? '?')} ` +
    `(${escape(trip?.reason ?? 'unknown reason')}).</p><p>Resuming continues from the last Event Hubs checkpoint; ` +
    `make sure the cause is fixed.</p><form method="post">${who}<button type="submit">Resume ingestion</button></form>`;
  return { status: 200, headers: { ...APPROVAL_PAGE_HEADERS }, body: page('Resume ingestion?', body) };
}

export function resultPage(status: number, title: string, text: string, link?: { href: string; label: string }): HttpResponseInit {
  const extra = link ? `<p><a href="${escape(link.href)}">${escape(link.label)}</a></p>` : '';
  return { status, headers: { ...APPROVAL_PAGE_HEADERS }, body: page(title, `<h1>${escape(title)}</h1><p>${escape(text)}</p>${extra}`) };
}
